/* test-cli-consent.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the real `textcast-cli consent …`, `inbound`, `gate check`,
 * `senders …`, `privacy …` and `contacts import` with consent columns (path
 * in $TEXTCAST_CLI) on a temporary workspace, and checks their JSON member
 * by member, their words, and their exit status on bad input.
 */

#define G_LOG_DOMAIN "test-cli-consent"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#define NY_PHONE "+12125550123"   /* America/New_York */
#define SF_PHONE "+14155550100"   /* America/Los_Angeles */
#define FR_PHONE "+33612345678"   /* Europe/Paris */

typedef struct
{
  char *dir;
  char *db;
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("tc-cli-consent-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_build_filename (f->dir, "t.db", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  /* The folder holds plain files only: the database, its WAL, CSVs. */
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (f->dir), ==, 0);
  g_free (f->db);
  g_free (f->dir);
}

/* Runs textcast-cli ARGS… (with --db first unless @db_last). */
static void
run_argv (Fixture            *f,
          gboolean            db_last,
          Run                *run,
          const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("TEXTCAST_CLI");

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  if (!db_last)
    {
      g_ptr_array_add (argv, (gpointer) "--db");
      g_ptr_array_add (argv, f->db);
    }
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  if (db_last)
    {
      g_ptr_array_add (argv, (gpointer) "--db");
      g_ptr_array_add (argv, f->db);
    }
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, "", NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
}

#define RUN(f, run, ...) \
  G_STMT_START { \
    const char * const args_[] = { __VA_ARGS__, NULL }; \
    run_argv ((f), FALSE, (run), args_); \
  } G_STMT_END

#define RUN_DB_LAST(f, run, ...) \
  G_STMT_START { \
    const char * const args_[] = { __VA_ARGS__, NULL }; \
    run_argv ((f), TRUE, (run), args_); \
  } G_STMT_END

/* Fails the test with what the program said when it did not exit 0. */
static void
assert_ok (const Run *run)
{
  if (run->status != 0)
    g_error ("exit status %d; stderr: %s; stdout: %s", run->status, run->err, run->out);
  g_assert_cmpstr (run->err, ==, "");
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);

  return node;
}

/* The one line of JSON a command printed, as an object. */
static JsonNode *
parse_object (const Run *run)
{
  JsonNode *node;

  assert_ok (run);
  /* Exactly one line. */
  g_assert_true (g_str_has_suffix (run->out, "\n"));
  g_assert_true (strchr (run->out, '\n') == run->out + strlen (run->out) - 1);
  node = parse_json (run->out);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

  return node;
}

static void
assert_member_null (JsonObject *object,
                    const char *member)
{
  g_assert_true (json_object_has_member (object, member));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, member)));
}

static void
assert_member_string (JsonObject *object,
                      const char *member,
                      const char *expected)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    g_error ("no member \"%s\"", member);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  g_assert_cmpstr (json_node_get_string (node), ==, expected);
}

static JsonObject *
member_object (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

  return json_node_get_object (node);
}

/* The first line of stderr, for error checks. */
static char *
first_line (const char *text)
{
  const char *end = strchr (text, '\n');

  return end != NULL ? g_strndup (text, end - text) : g_strdup (text);
}

static void
write_file (Fixture    *f,
            const char *name,
            const char *contents,
            char      **path_out)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  *path_out = path;
}

/* consent add --json for NY_PHONE, checked fully. */
static void
test_consent_add (Fixture       *f,
                  gconstpointer  data)
{
  g_auto(Run) add = { 0 };
  g_auto(Run) again = { 0 };
  g_auto(Run) words = { 0 };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) node2 = NULL;
  JsonObject *object, *event;

  RUN (f, &add, "consent", "add", "--phone", "(212) 555-0123", "--channel", "sms",
       "--purpose", "promotional", "--source", "web_form",
       "--wording", "Yes, text me deals from Acme. Reply STOP to cancel.",
       "--at", "2026-03-01T09:30:00+01:00", "--origin", "https://acme.example/join", "--json");
  node = parse_object (&add);
  object = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (object, "contact_id"), ==, 1);
  g_assert_true (json_object_get_boolean_member (object, "contact_created"));
  assert_member_string (object, "phone", NY_PHONE);
  assert_member_string (object, "status", "opted_in");
  assert_member_string (object, "since", "2026-03-01T08:30:00Z");
  assert_member_null (object, "expires_at");
  assert_member_null (object, "confirmation_text");
  event = member_object (object, "event");
  g_assert_cmpint (json_object_get_int_member (event, "id"), >, 0);
  assert_member_string (event, "channel", "sms");
  assert_member_string (event, "purpose", "promotional");
  assert_member_string (event, "kind", "opted_in");
  assert_member_string (event, "status", "opted_in");
  assert_member_string (event, "method", "single");
  assert_member_string (event, "source", "web_form");
  assert_member_string (event, "wording", "Yes, text me deals from Acme. Reply STOP to cancel.");
  assert_member_string (event, "origin", "https://acme.example/join");
  assert_member_string (event, "occurred_at", "2026-03-01T08:30:00Z");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (event, "recorded_at"), "Z"));
  assert_member_null (event, "expires_at");

  /* The same person, another channel and purpose: no new contact; a plain
   * date is midnight UTC. */
  RUN (f, &again, "consent", "add", "--phone", NY_PHONE, "--channel", "whatsapp",
       "--purpose", "transactional", "--source", "checkout", "--wording", "Send my order updates",
       "--at", "2026-02-01", "--json");
  node2 = parse_object (&again);
  object = json_node_get_object (node2);
  g_assert_cmpint (json_object_get_int_member (object, "contact_id"), ==, 1);
  g_assert_false (json_object_get_boolean_member (object, "contact_created"));
  assert_member_string (object, "status", "opted_in");
  event = member_object (object, "event");
  assert_member_string (event, "channel", "whatsapp");
  assert_member_string (event, "purpose", "transactional");
  assert_member_string (event, "source", "checkout");
  assert_member_string (event, "occurred_at", "2026-02-01T00:00:00Z");
  assert_member_null (event, "origin");

  /* Plain words, with --db after the command. */
  RUN_DB_LAST (f, &words, "consent", "add", "--phone", SF_PHONE, "--channel", "sms",
               "--purpose", "transactional", "--source", "by hand", "--wording", "Asked at the till",
               "--at", "2026-04-02T10:00:00Z");
  assert_ok (&words);
  g_assert_cmpstr (words.out, ==,
                   "New contact 2: " SF_PHONE "\n"
                   "Recorded: " SF_PHONE " opted in to transactional SMS (source manual, "
                   "2026-04-02T10:00:00Z).\n");
}

static void
test_consent_show (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(Run) add = { 0 };
  g_auto(Run) revoke = { 0 };
  g_auto(Run) show = { 0 };
  g_auto(Run) words = { 0 };
  g_autoptr(JsonNode) revoked = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object, *status, *sms, *pair, *event;
  JsonArray *events;

  RUN (f, &add, "consent", "add", "--phone", NY_PHONE, "--channel", "sms", "--purpose",
       "promotional", "--source", "qr_code", "--wording", "Scan to get 10% off by text",
       "--at", "2026-03-01T12:00:00Z", "--origin", "Store 4 window");
  assert_ok (&add);
  RUN (f, &revoke, "consent", "revoke", "--phone", NY_PHONE, "--channel", "sms", "--purpose",
       "promotional", "--at", "2026-03-05T12:00:00Z", "--json");
  revoked = parse_object (&revoke);
  object = json_node_get_object (revoked);
  assert_member_string (object, "status", "opted_out");
  g_assert_false (json_object_get_boolean_member (object, "contact_created"));
  event = member_object (object, "event");
  assert_member_string (event, "kind", "opted_out");
  assert_member_string (event, "source", "manual");
  assert_member_string (event, "occurred_at", "2026-03-05T12:00:00Z");

  RUN (f, &show, "consent", "show", "--phone", NY_PHONE, "--json");
  node = parse_object (&show);
  object = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (object, "contact_id"), ==, 1);
  assert_member_string (object, "phone", NY_PHONE);
  status = member_object (object, "status");
  sms = member_object (status, "sms");
  pair = member_object (sms, "promotional");
  assert_member_string (pair, "status", "opted_out");
  assert_member_string (pair, "since", "2026-03-05T12:00:00Z");
  assert_member_string (pair, "source", "manual");
  assert_member_null (pair, "expires_at");
  pair = member_object (sms, "transactional");
  assert_member_string (pair, "status", "none");
  assert_member_null (pair, "since");
  pair = member_object (member_object (status, "whatsapp"), "promotional");
  assert_member_string (pair, "status", "none");
  events = json_object_get_array_member (object, "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 2);
  event = json_array_get_object_element (events, 0);
  assert_member_string (event, "kind", "opted_in");
  assert_member_string (event, "source", "qr_code");
  assert_member_string (event, "wording", "Scan to get 10% off by text");
  assert_member_string (event, "origin", "Store 4 window");
  assert_member_string (event, "occurred_at", "2026-03-01T12:00:00Z");
  event = json_array_get_object_element (events, 1);
  assert_member_string (event, "kind", "opted_out");
  assert_member_string (event, "status", "opted_out");

  RUN (f, &words, "consent", "show", "--phone", "212-555-0123");
  assert_ok (&words);
  g_assert_true (g_str_has_prefix (words.out, NY_PHONE " (contact 1)\nStatus:\n"));
  g_assert_nonnull (strstr (words.out,
                            "  SMS promotional          opted_out since 2026-03-05T12:00:00Z "
                            "(manual)\n"));
  g_assert_nonnull (strstr (words.out, "  SMS transactional        nothing recorded\n"));
  g_assert_nonnull (strstr (words.out,
                            "  2026-03-05T12:00:00Z  SMS promotional: opted_out (manual)\n"));
  g_assert_nonnull (strstr (words.out,
                            "  2026-03-01T12:00:00Z  SMS promotional: opted_in (qr_code, single "
                            "opt-in)\n"
                            "      wording: “Scan to get 10% off by text”\n"
                            "      from: Store 4 window\n"));
}

static void
test_consent_revoke_unknown (Fixture       *f,
                             gconstpointer  data)
{
  g_auto(Run) add = { 0 };
  g_auto(Run) revoke = { 0 };
  g_auto(Run) show = { 0 };

  RUN (f, &add, "consent", "add", "--phone", NY_PHONE, "--channel", "sms", "--purpose",
       "promotional", "--source", "import", "--wording", "");
  /* An empty --wording is a usage error even where the source needs none. */
  g_assert_cmpint (add.status, ==, 2);

  g_clear_pointer (&add.out, g_free);
  g_clear_pointer (&add.err, g_free);
  RUN (f, &add, "consent", "add", "--phone", NY_PHONE, "--channel", "sms", "--purpose",
       "promotional", "--source", "import", "--wording", "Joined in 2019");
  assert_ok (&add);

  RUN (f, &revoke, "consent", "revoke", "--phone", SF_PHONE, "--channel", "sms", "--purpose",
       "promotional");
  g_assert_cmpint (revoke.status, ==, 1);
  g_assert_cmpstr (revoke.out, ==, "");
  g_assert_cmpstr (revoke.err, ==,
                   "textcast-cli: no contact has the phone number " SF_PHONE
                   ": there is no consent to revoke\n");

  /* Revoking did not create the contact. */
  RUN (f, &show, "consent", "show", "--phone", SF_PHONE, "--json");
  g_assert_cmpint (show.status, ==, 1);
  g_assert_cmpstr (show.out, ==, "");
  g_assert_cmpstr (show.err, ==, "textcast-cli: no contact has the phone number " SF_PHONE "\n");
}

static void
test_consent_double_optin (Fixture       *f,
                           gconstpointer  data)
{
  g_auto(Run) set = { 0 };
  g_auto(Run) add = { 0 };
  g_auto(Run) confirmed = { 0 };
  g_auto(Run) yes = { 0 };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) node2 = NULL;
  g_autoptr(JsonNode) node3 = NULL;
  JsonObject *object, *event;

  RUN (f, &set, "settings", "set", "consent.double_optin.sms", "true");
  assert_ok (&set);

  RUN (f, &add, "consent", "add", "--phone", NY_PHONE, "--channel", "sms", "--purpose",
       "promotional", "--source", "web_form", "--wording", "Text me deals", "--json");
  node = parse_object (&add);
  object = json_node_get_object (node);
  assert_member_string (object, "status", "pending");
  g_assert_nonnull (json_object_get_string_member (object, "expires_at"));
  g_assert_nonnull (json_object_get_string_member (object, "confirmation_text"));
  g_assert_nonnull (strstr (json_object_get_string_member (object, "confirmation_text"), "YES"));
  event = member_object (object, "event");
  assert_member_string (event, "kind", "requested");
  assert_member_string (event, "status", "pending");
  g_assert_nonnull (json_object_get_string_member (event, "expires_at"));

  /* YES confirms it. */
  RUN (f, &yes, "inbound", "--channel", "sms", "--from", NY_PHONE, "--body", " yes! ", "--json");
  node3 = parse_object (&yes);
  object = json_node_get_object (node3);
  assert_member_string (object, "action", "opt_in");
  g_assert_nonnull (json_object_get_string_member (object, "reply"));

  /* Confirmed elsewhere already: recorded as opted in, nothing sent. */
  RUN (f, &confirmed, "consent", "add", "--phone", SF_PHONE, "--channel", "sms", "--purpose",
       "promotional", "--source", "web_form", "--wording", "Text me deals", "--confirmed",
       "--json");
  node2 = parse_object (&confirmed);
  object = json_node_get_object (node2);
  assert_member_string (object, "status", "opted_in");
  assert_member_null (object, "confirmation_text");
}

/* Options a command does not take, missing options and bad values. */
static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  static const struct {
    const char *args[16];
    int         status;
    const char *err;   /* the first line of stderr, a prefix of it */
  } cases[] = {
    { { "consent", NULL }, 2, "textcast-cli: 'consent' needs a command: add, revoke or show" },
    { { "consent", "grant", NULL }, 2, "textcast-cli: unknown command 'consent grant'" },
    { { "consent", "add", "--channel", "sms", "--purpose", "promotional", "--source", "api",
        "--wording", "w", NULL }, 2, "textcast-cli: 'consent add' needs --phone NUMBER" },
    { { "consent", "add", "--phone", NY_PHONE, "--channel", "email", "--purpose", "promotional",
        "--source", "api", "--wording", "w", NULL }, 2,
      "textcast-cli: option '--channel' needs sms or whatsapp, not 'email'" },
    { { "consent", "add", "--phone", NY_PHONE, "--channel", "sms", "--purpose", "marketing",
        "--source", "api", "--wording", "w", NULL }, 2,
      "textcast-cli: option '--purpose' needs promotional or transactional, not 'marketing'" },
    { { "consent", "add", "--phone", NY_PHONE, "--channel", "sms", "--purpose", "promotional",
        "--source", "billboard", "--wording", "w", NULL }, 2,
      "textcast-cli: option '--source' needs web_form, checkout, keyword, qr_code, import, api "
      "or manual, not 'billboard'" },
    { { "consent", "add", "--phone", NY_PHONE, "--channel", "sms", "--purpose", "promotional",
        "--source", "api", NULL }, 2,
      "textcast-cli: 'consent add' needs --wording TEXT (the exact words the person agreed to)" },
    { { "consent", "add", "--phone", NY_PHONE, "--channel", "sms", "--purpose", "promotional",
        "--source", "api", "--wording", "w", "--at", "yesterday", NULL }, 2,
      "textcast-cli: option '--at' needs a time in ISO 8601 with an offset or Z "
      "(2026-03-01T09:30:00Z) or a date (2026-03-01), not 'yesterday'" },
    { { "consent", "add", "--phone", NY_PHONE, "--channel", "sms", "--purpose", "promotional",
        "--source", "api", "--wording", "w", "--at", "2026-03-01T09:30:00", NULL }, 2,
      "textcast-cli: option '--at' needs a time in ISO 8601 with an offset or Z "
      "(2026-03-01T09:30:00Z) or a date (2026-03-01), not '2026-03-01T09:30:00'" },
    { { "consent", "add", "--phone", NY_PHONE, "--channel", "sms", "--purpose", "promotional",
        "--source", "api", "--wording", "w", "--at", "2026-02-30", NULL }, 2,
      "textcast-cli: option '--at' needs a time in ISO 8601 with an offset or Z "
      "(2026-03-01T09:30:00Z) or a date (2026-03-01), not '2026-02-30'" },
    { { "consent", "add", "--phone", NY_PHONE, "--channel", "sms", "--purpose", "promotional",
        "--source", "api", "--wording", "w", "--region", "XX", NULL }, 2,
      "textcast-cli: option '--region' needs a two-letter country code such as US, GB or DE, "
      "not 'XX'" },
    { { "consent", "add", "--phone", NY_PHONE, "--channel", "sms", "--purpose", "promotional",
        "--source", "api", "--wording", "w", "--yes", NULL }, 2,
      "textcast-cli: option '--yes' does not apply to 'consent add'" },
    { { "consent", "add", "--phone", NY_PHONE, "--channel", "sms", "--purpose", "promotional",
        "--source", "api", "--wording", "w", "--bogus", NULL }, 2,
      "textcast-cli: unknown option '--bogus'" },
    { { "consent", "show", "--phone", NY_PHONE, "extra", NULL }, 2,
      "textcast-cli: 'consent show' got an unexpected argument 'extra'" },
    { { "consent", "revoke", "--phone", NY_PHONE, "--channel", "sms", "--purpose", "promotional",
        "--wording", "w", NULL }, 2,
      "textcast-cli: option '--wording' does not apply to 'consent revoke'" },
    { { "inbound", "--channel", "sms", "--from", NY_PHONE, NULL }, 2,
      "textcast-cli: 'inbound' needs --body TEXT" },
    { { "inbound", "--channel", "fax", "--from", NY_PHONE, "--body", "STOP", NULL }, 2,
      "textcast-cli: option '--channel' needs sms or whatsapp, not 'fax'" },
    { { "inbound", "--channel", "sms", "--from", NY_PHONE, "--body", "STOP", "--at", "noon",
        NULL }, 2, "textcast-cli: option '--at' needs a time in ISO 8601" },
    { { "gate", NULL }, 2, "textcast-cli: 'gate' needs a command: check" },
    { { "gate", "open", NULL }, 2, "textcast-cli: unknown command 'gate open'" },
    { { "gate", "check", "--phone", NY_PHONE, "--channel", "sms", NULL }, 2,
      "textcast-cli: 'gate check' needs --purpose promotional|transactional" },
    { { "gate", "check", "--phone", NY_PHONE, "--channel", "whatsapp", "--purpose",
        "promotional", "--template-category", "promo", NULL }, 2,
      "textcast-cli: option '--template-category' needs marketing, utility or authentication, "
      "not 'promo'" },
    { { "gate", "check", "--phone", NY_PHONE, "--channel", "whatsapp", "--purpose",
        "promotional", "--template-approved", NULL }, 2,
      "textcast-cli: option '--template-approved' needs --template-category" },
    { { "gate", "check", "--phone", NY_PHONE, "--channel", "whatsapp", "--purpose",
        "promotional", "--text", "--template-category", "utility", NULL }, 2,
      "textcast-cli: 'gate check' takes either --text or --template-category, not both" },
    { { "gate", "check", "--phone", NY_PHONE, "--channel", "sms", "--purpose", "promotional",
        "--at", "2026-13-01", NULL }, 2,
      "textcast-cli: option '--at' needs a time in ISO 8601 with an offset or Z "
      "(2026-03-01T09:30:00Z) or a date (2026-03-01), not '2026-13-01'" },
    { { "senders", NULL }, 2, "textcast-cli: 'senders' needs a command: add, list or remove" },
    { { "senders", "add", "--id", "+18885550100", "--type", "tollfree", "--purpose", "both",
        "--mps", "3", NULL }, 2,
      "textcast-cli: option '--type' needs long_code, toll_free, short_code or whatsapp, not "
      "'tollfree'" },
    { { "senders", "add", "--id", "+18885550100", "--type", "toll_free", "--purpose", "all",
        "--mps", "3", NULL }, 2,
      "textcast-cli: option '--purpose' needs transactional, promotional or both, not 'all'" },
    { { "senders", "add", "--id", "+18885550100", "--type", "toll_free", "--purpose", "both",
        NULL }, 2,
      "textcast-cli: 'senders add' needs --mps N (messages per second, 0 for no limit)" },
    { { "senders", "add", "--id", "+18885550100", "--type", "toll_free", "--purpose", "both",
        "--mps", "-1", NULL }, 2,
      "textcast-cli: option '--mps' needs a number of messages per second from 0 (no limit) to "
      "100000, not '-1'" },
    { { "senders", "add", "--id", "+18885550100", "--type", "toll_free", "--purpose", "both",
        "--mps", "fast", NULL }, 2,
      "textcast-cli: option '--mps' needs a number of messages per second from 0 (no limit) to "
      "100000, not 'fast'" },
    { { "senders", "add", "--id", "+18885550100", "--type", "toll_free", "--purpose", "both",
        "--mps", "nan", NULL }, 2, "textcast-cli: option '--mps' needs a number" },
    { { "senders", "add", "--id", "+18885550100", "--type", "toll_free", "--purpose", "both",
        "--mps", "3", "--daily-cap", "-5", NULL }, 2,
      "textcast-cli: option '--daily-cap' needs a whole number of messages a day (0: no cap), "
      "not '-5'" },
    { { "senders", "add", "--id", "+18885550100", "--type", "toll_free", "--purpose", "both",
        "--mps", "3", "--countries", "US,ZZ", NULL }, 2,
      "textcast-cli: option '--countries' needs two-letter country codes such as US,CA; 'ZZ' "
      "is not one" },
    { { "senders", "add", "--id", "+18885550100", "--type", "toll_free", "--purpose", "both",
        "--mps", "3", "--json", NULL }, 2,
      "textcast-cli: option '--json' does not apply to 'senders add'" },
    { { "senders", "remove", NULL }, 2, "textcast-cli: 'senders remove' needs --id ID" },
    { { "privacy", NULL }, 2, "textcast-cli: 'privacy' needs a command: export or erase" },
    { { "privacy", "export", "--phone", NY_PHONE, "--format", "xml", NULL }, 2,
      "textcast-cli: option '--format' needs json or csv, not 'xml'" },
    { { "privacy", "erase", "--phone", NY_PHONE, NULL }, 2,
      "textcast-cli: 'privacy erase' deletes everything about " NY_PHONE " and cannot be "
      "undone: add --yes to confirm" },
    { { "privacy", "erase", "--phone", "12", "--yes", NULL }, 1,
      "textcast-cli: '12' is not a phone number: " },
    { { "consent", "show", "--phone", "not a number", NULL }, 1,
      "textcast-cli: 'not a number' is not a phone number: " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0 };
      g_autofree char *line = NULL;

      g_test_message ("case %u: %s %s", i, cases[i].args[0],
                      cases[i].args[1] != NULL ? cases[i].args[1] : "");
      run_argv (f, FALSE, &run, cases[i].args);
      line = first_line (run.err);
      if (!g_str_has_prefix (line, cases[i].err))
        g_error ("case %u: stderr \"%s\", expected \"%s…\"", i, line, cases[i].err);
      g_assert_cmpint (run.status, ==, cases[i].status);
      g_assert_cmpstr (run.out, ==, "");
      /* Usage errors come with the usage text; failures are one line. */
      if (cases[i].status == 2)
        g_assert_nonnull (strstr (run.err, "\n\nUsage: textcast-cli"));
      else
        g_assert_true (strchr (run.err, '\n') == run.err + strlen (run.err) - 1);
    }

  /* None of them opened (or created) the workspace. */
  g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));

  /* A consent time in the future is refused by the ledger: a failure, 1. */
  {
    g_auto(Run) run = { 0 };

    RUN (f, &run, "consent", "add", "--phone", NY_PHONE, "--channel", "sms", "--purpose",
         "promotional", "--source", "api", "--wording", "w", "--at", "2999-01-01");
    g_assert_cmpint (run.status, ==, 1);
    g_assert_true (g_str_has_prefix (run.err, "textcast-cli: cannot record the opt-in: "));
    g_assert_nonnull (strstr (run.err, "future"));
  }

  /* So is a number that cannot be texted. */
  {
    g_auto(Run) run = { 0 };

    RUN (f, &run, "consent", "add", "--phone", "+1 555", "--channel", "sms", "--purpose",
         "promotional", "--source", "api", "--wording", "w");
    g_assert_cmpint (run.status, ==, 1);
    g_assert_true (g_str_has_prefix (run.err, "textcast-cli: cannot record the opt-in: "));
  }

  /* Without a workspace, the commands that only read say so. */
  {
    g_auto(Run) run = { 0 };

    g_unlink (f->db);
    RUN (f, &run, "gate", "check", "--phone", NY_PHONE, "--channel", "sms", "--purpose",
         "promotional");
    g_assert_cmpint (run.status, ==, 1);
    g_assert_true (g_str_has_prefix (run.err, "textcast-cli: no workspace at "));
  }
}

static void
test_help (Fixture       *f,
           gconstpointer  data)
{
  static const char * const groups[] = { "consent", "inbound", "gate", "senders", "privacy" };
  g_auto(Run) main_help = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    {
      g_auto(Run) run = { 0 };

      RUN (f, &run, groups[i], "--help");
      assert_ok (&run);
      g_assert_true (g_str_has_prefix (run.out, "Usage: textcast-cli"));
      g_assert_nonnull (strstr (run.out, "consent add --phone NUMBER --channel sms|whatsapp"));
      g_assert_nonnull (strstr (run.out, "gate check --phone NUMBER"));
      g_assert_nonnull (strstr (run.out, "privacy erase --phone NUMBER --yes"));
    }

  RUN (f, &main_help, "--help");
  assert_ok (&main_help);
  g_assert_nonnull (strstr (main_help.out, "consent add|revoke|show"));
  g_assert_nonnull (strstr (main_help.out, "inbound --channel sms|whatsapp --from NUMBER"));
  g_assert_nonnull (strstr (main_help.out, "gate check --phone NUMBER"));
  g_assert_nonnull (strstr (main_help.out, "senders add|list|remove"));
  g_assert_nonnull (strstr (main_help.out, "privacy export|erase"));
}

/* inbound --json: {"action":…,"keyword":…,"reply":…}. */
static void
test_inbound (Fixture       *f,
              gconstpointer  data)
{
  static const struct {
    const char *body;
    const char *action;
    const char *keyword;   /* NULL: null */
    gboolean    reply;
  } cases[] = {
    { "HELP", "help", "HELP", TRUE },
    { "Hi, is the shop open on Sunday?", "message", NULL, FALSE },
    { "  Stop. ", "opt_out", "STOP", TRUE },
    { "START", "opt_in", "START", TRUE },
    { "unsubscribe", "opt_out", "UNSUBSCRIBE", TRUE },
  };
  g_auto(Run) dup1 = { 0 };
  g_auto(Run) dup2 = { 0 };
  g_auto(Run) words = { 0 };
  g_auto(Run) stop_words = { 0 };
  g_autoptr(JsonNode) d1 = NULL;
  g_autoptr(JsonNode) d2 = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0 };
      g_autoptr(JsonNode) node = NULL;
      JsonObject *object;

      g_test_message ("inbound “%s”", cases[i].body);
      RUN (f, &run, "inbound", "--channel", "sms", "--from", NY_PHONE, "--body", cases[i].body,
           "--json");
      node = parse_object (&run);
      object = json_node_get_object (node);
      assert_member_string (object, "action", cases[i].action);
      if (cases[i].keyword != NULL)
        assert_member_string (object, "keyword", cases[i].keyword);
      else
        assert_member_null (object, "keyword");
      if (cases[i].reply)
        g_assert_cmpstr (json_object_get_string_member (object, "reply"), !=, "");
      else
        assert_member_null (object, "reply");
      g_assert_cmpint (json_object_get_int_member (object, "contact_id"), ==, 1);
    }

  /* A provider's id seen twice is handled once. */
  RUN (f, &dup1, "inbound", "--channel", "whatsapp", "--from", "12125550123", "--body", "STOP",
       "--id", "wamid.ABC", "--at", "2026-05-01T10:00:00Z", "--json");
  d1 = parse_object (&dup1);
  assert_member_string (json_node_get_object (d1), "action", "opt_out");
  g_assert_false (json_object_get_boolean_member (json_node_get_object (d1), "duplicate"));
  RUN (f, &dup2, "inbound", "--channel", "whatsapp", "--from", "12125550123", "--body", "STOP",
       "--id", "wamid.ABC", "--at", "2026-05-01T10:00:00Z", "--json");
  d2 = parse_object (&dup2);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (d2), "duplicate"));

  /* In words. */
  RUN (f, &stop_words, "inbound", "--channel", "sms", "--from", FR_PHONE, "--body", "STOP");
  assert_ok (&stop_words);
  g_assert_true (g_str_has_prefix (stop_words.out, "New contact 2: " FR_PHONE "\n"
                                                   "Understood as an opt-out (STOP).\n"));
  g_assert_nonnull (strstr (stop_words.out, "\nReply queued: "));
  RUN (f, &words, "inbound", "--channel", "sms", "--from", SF_PHONE, "--body", "Thanks!");
  assert_ok (&words);
  g_assert_cmpstr (words.out, ==,
                   "New contact 3: " SF_PHONE "\n"
                   "Understood as a conversation message.\n"
                   "No reply.\n");
}

static JsonNode *
gate_check (Fixture    *f,
            const char *phone,
            const char *channel,
            const char *purpose,
            const char *at,
            const char *extra)
{
  g_auto(Run) run = { 0 };

  if (extra != NULL)
    RUN (f, &run, "gate", "check", "--phone", phone, "--channel", channel, "--purpose", purpose,
         "--at", at, extra, "--json");
  else
    RUN (f, &run, "gate", "check", "--phone", phone, "--channel", channel, "--purpose", purpose,
         "--at", at, "--json");

  return parse_object (&run);
}

static void
assert_decision (JsonNode   *node,
                 const char *decision,
                 const char *until,
                 const char *reason_code)
{
  JsonObject *object = json_node_get_object (node);

  assert_member_string (object, "decision", decision);
  if (until != NULL)
    assert_member_string (object, "until", until);
  else
    assert_member_null (object, "until");
  if (reason_code != NULL)
    {
      assert_member_string (object, "reason_code", reason_code);
      g_assert_cmpstr (json_object_get_string_member (object, "reason"), !=, "");
    }
  else
    {
      assert_member_null (object, "reason_code");
      assert_member_null (object, "reason");
    }
}

static void
test_gate (Fixture       *f,
           gconstpointer  data)
{
  g_auto(Run) add = { 0 };
  g_auto(Run) add_wa = { 0 };
  g_auto(Run) sender = { 0 };
  g_auto(Run) words = { 0 };
  g_auto(Run) words_defer = { 0 };
  static const struct {
    const char *channel;
    const char *purpose;
    const char *at;
    const char *extra;
    const char *decision;
    const char *until;
    const char *reason_code;
  } cases[] = {
    /* 12:00 in New York. */
    { "sms", "promotional", "2026-06-15T16:00:00Z", NULL, "send", NULL, NULL },
    { "sms", "promotional", "2026-06-15T16:00:00Z", "--text", "send", NULL, NULL },
    /* 22:00 in New York: held until 08:00 there. */
    { "sms", "promotional", "2026-06-16T02:00:00Z", NULL, "defer", "2026-06-16T12:00:00Z",
      "quiet_hours" },
    /* Transactional is not held by quiet hours, but needs its own consent. */
    { "sms", "transactional", "2026-06-16T02:00:00Z", NULL, "skip", NULL, "no_consent" },
    /* A date alone is midnight UTC: 20:00 the day before in New York. */
    { "sms", "promotional", "2026-06-15", NULL, "send", NULL, NULL },
  };

  RUN (f, &add, "consent", "add", "--phone", NY_PHONE, "--channel", "sms", "--purpose",
       "promotional", "--source", "web_form", "--wording", "Deals by text", "--at", "2026-01-01");
  assert_ok (&add);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = NULL;

      g_test_message ("gate case %u", i);
      node = gate_check (f, NY_PHONE, cases[i].channel, cases[i].purpose, cases[i].at,
                         cases[i].extra);
      assert_decision (node, cases[i].decision, cases[i].until, cases[i].reason_code);
    }

  /* WhatsApp: a MARKETING template to a +1 number is blocked by Meta. */
  RUN (f, &add_wa, "consent", "add", "--phone", NY_PHONE, "--channel", "whatsapp", "--purpose",
       "promotional", "--source", "web_form", "--wording", "Deals on WhatsApp", "--at",
       "2026-01-01");
  assert_ok (&add_wa);
  {
    g_auto(Run) run = { 0 };
    g_autoptr(JsonNode) node = NULL;

    RUN (f, &run, "gate", "check", "--phone", NY_PHONE, "--channel", "whatsapp", "--purpose",
         "promotional", "--at", "2026-06-15T16:00:00Z", "--template-category", "marketing",
         "--template-approved", "--json");
    node = parse_object (&run);
    assert_decision (node, "skip", NULL, "wa_marketing_us");
  }
  /* Free-form WhatsApp text outside the 24-hour window needs a template. */
  {
    g_autoptr(JsonNode) node = gate_check (f, NY_PHONE, "whatsapp", "promotional",
                                           "2026-06-15T16:00:00Z", "--text");

    assert_decision (node, "skip", NULL, "wa_template_required");
  }

  /* Promotional traffic through a transactional sender. */
  RUN (f, &sender, "senders", "add", "--id", "+18885550100", "--type", "toll_free",
       "--purpose", "transactional", "--mps", "3");
  assert_ok (&sender);
  {
    g_auto(Run) run = { 0 };
    g_autoptr(JsonNode) node = NULL;

    RUN (f, &run, "gate", "check", "--phone", NY_PHONE, "--channel", "sms", "--purpose",
         "promotional", "--at", "2026-06-15T16:00:00Z", "--sender", "+18885550100", "--json");
    node = parse_object (&run);
    assert_decision (node, "skip", NULL, "sender_transactional");
  }

  /* A number nobody knows: no consent, still exit status 0. */
  {
    g_autoptr(JsonNode) node = gate_check (f, SF_PHONE, "sms", "transactional",
                                           "2026-06-15T16:00:00Z", NULL);

    assert_decision (node, "skip", NULL, "no_consent");
  }

  /* In words. */
  RUN (f, &words, "gate", "check", "--phone", NY_PHONE, "--channel", "sms", "--purpose",
       "promotional", "--at", "2026-06-15T16:00:00Z");
  assert_ok (&words);
  g_assert_cmpstr (words.out, ==, "send\n");
  RUN (f, &words_defer, "gate", "check", "--phone", NY_PHONE, "--channel", "sms", "--purpose",
       "promotional", "--at", "2026-06-16T02:00:00Z");
  assert_ok (&words_defer);
  g_assert_true (g_str_has_prefix (words_defer.out, "defer until 2026-06-16T12:00:00Z: "));
  g_assert_true (g_str_has_suffix (words_defer.out, " in America/New_York\n"));
}

/* The property: once the person texted STOP, no gate check for that
 * channel says send, whatever the purpose, time, content or sender. */
static void
test_stop_property (Fixture       *f,
                    gconstpointer  data)
{
  static const char * const purposes[] = { "promotional", "transactional" };
  static const char * const times[] = {
    "2026-06-15T16:00:00Z", "2026-06-15T13:00:00Z", "2026-06-16T00:30:00Z",
    "2026-12-24T15:00:00Z", "2027-03-08T12:00:00Z", "2026-07-01",
  };
  static const char * const extras[] = { NULL, "--text" };
  g_auto(Run) stop = { 0 };
  g_autoptr(JsonNode) stopped = NULL;
  guint n_checked = 0;

  for (guint p = 0; p < G_N_ELEMENTS (purposes); p++)
    {
      g_auto(Run) add = { 0 };

      RUN (f, &add, "consent", "add", "--phone", NY_PHONE, "--channel", "sms", "--purpose",
           purposes[p], "--source", "checkout", "--wording", "Text me", "--at", "2026-01-01");
      assert_ok (&add);
    }

  /* Before: both purposes send at noon in New York. */
  for (guint p = 0; p < G_N_ELEMENTS (purposes); p++)
    {
      g_autoptr(JsonNode) node = gate_check (f, NY_PHONE, "sms", purposes[p],
                                             "2026-06-15T16:00:00Z", NULL);

      assert_decision (node, "send", NULL, NULL);
    }

  RUN (f, &stop, "inbound", "--channel", "sms", "--from", NY_PHONE, "--body", "STOP",
       "--at", "2026-06-01T10:00:00Z", "--json");
  stopped = parse_object (&stop);
  assert_member_string (json_node_get_object (stopped), "action", "opt_out");

  for (guint p = 0; p < G_N_ELEMENTS (purposes); p++)
    for (guint t = 0; t < G_N_ELEMENTS (times); t++)
      for (guint e = 0; e < G_N_ELEMENTS (extras); e++)
        {
          g_autoptr(JsonNode) node = gate_check (f, NY_PHONE, "sms", purposes[p], times[t],
                                                 extras[e]);
          JsonObject *object = json_node_get_object (node);

          g_assert_cmpstr (json_object_get_string_member (object, "decision"), ==, "skip");
          assert_member_string (object, "reason_code", "opted_out");
          n_checked++;
        }
  g_assert_cmpuint (n_checked, ==, 24);
}

static void
test_senders (Fixture       *f,
              gconstpointer  data)
{
  g_auto(Run) empty = { 0 };
  g_auto(Run) empty_json = { 0 };
  g_auto(Run) add1 = { 0 };
  g_auto(Run) add2 = { 0 };
  g_auto(Run) list = { 0 };
  g_auto(Run) words = { 0 };
  g_auto(Run) remove = { 0 };
  g_auto(Run) remove_again = { 0 };
  g_auto(Run) after = { 0 };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) node_after = NULL;
  JsonArray *array;
  JsonObject *object;

  RUN (f, &add1, "senders", "add", "--id", "+1 (888) 555-0100", "--type", "toll_free",
       "--purpose", "transactional", "--mps", "3", "--daily-cap", "5000", "--countries", "us, ca");
  assert_ok (&add1);
  g_assert_cmpstr (add1.out, ==,
                   "Saved sender +18885550100 (toll_free, transactional): 3 a second, "
                   "at most 5000 a day, countries US,CA\n");
  RUN (f, &add2, "senders", "add", "--id", "55555", "--type", "short_code", "--purpose",
       "both", "--mps", "0");
  assert_ok (&add2);

  RUN (f, &list, "senders", "list", "--json");
  assert_ok (&list);
  node = parse_json (list.out);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  array = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  object = json_array_get_object_element (array, 0);
  assert_member_string (object, "id", "+18885550100");
  assert_member_string (object, "type", "toll_free");
  assert_member_string (object, "purpose", "transactional");
  g_assert_cmpfloat (json_object_get_double_member (object, "mps"), ==, 3.0);
  g_assert_cmpint (json_object_get_int_member (object, "daily_cap"), ==, 5000);
  {
    JsonArray *countries = json_object_get_array_member (object, "countries");

    g_assert_cmpuint (json_array_get_length (countries), ==, 2);
    g_assert_cmpstr (json_array_get_string_element (countries, 0), ==, "US");
    g_assert_cmpstr (json_array_get_string_element (countries, 1), ==, "CA");
  }
  g_assert_true (json_object_get_boolean_member (object, "registered"));
  object = json_array_get_object_element (array, 1);
  assert_member_string (object, "id", "55555");
  assert_member_string (object, "type", "short_code");
  assert_member_string (object, "purpose", "both");
  g_assert_cmpfloat (json_object_get_double_member (object, "mps"), ==, 0.0);
  assert_member_null (object, "daily_cap");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "countries")),
                    ==, 0);

  RUN (f, &words, "senders", "list");
  assert_ok (&words);
  g_assert_nonnull (strstr (words.out, "+18885550100"));
  g_assert_nonnull (strstr (words.out, "no limit"));

  RUN (f, &remove, "senders", "remove", "--id", "55555");
  assert_ok (&remove);
  g_assert_cmpstr (remove.out, ==, "Removed sender 55555\n");
  RUN (f, &remove_again, "senders", "remove", "--id", "55555");
  g_assert_cmpint (remove_again.status, ==, 1);
  g_assert_cmpstr (remove_again.err, ==,
                   "textcast-cli: no sender 55555 is registered (textcast-cli senders list shows "
                   "them)\n");

  RUN_DB_LAST (f, &after, "senders", "list", "--json");
  assert_ok (&after);
  node_after = parse_json (after.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node_after)), ==, 1);

  /* An invalid id is refused by the registry: a failure. */
  {
    g_auto(Run) run = { 0 };

    RUN (f, &run, "senders", "add", "--id", "+1 555", "--type", "long_code", "--purpose",
         "both", "--mps", "1");
    g_assert_cmpint (run.status, ==, 1);
    g_assert_true (g_str_has_prefix (run.err, "textcast-cli: cannot save the sender: "));
  }

  /* Nothing registered yet in a new workspace. */
  g_assert_cmpint (g_unlink (f->db), ==, 0);
  {
    g_autofree char *wal = g_strconcat (f->db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (f->db, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  RUN (f, &empty, "senders", "add", "--id", "+14155550100", "--type", "long_code",
       "--purpose", "promotional", "--mps", "1");
  assert_ok (&empty);
  RUN (f, &empty_json, "senders", "remove", "--id", "+14155550100");
  assert_ok (&empty_json);
  {
    g_auto(Run) run = { 0 };
    g_auto(Run) run_json = { 0 };

    RUN (f, &run, "senders", "list");
    assert_ok (&run);
    g_assert_true (g_str_has_prefix (run.out, "No senders registered"));
    RUN (f, &run_json, "senders", "list", "--json");
    assert_ok (&run_json);
    g_assert_cmpstr (run_json.out, ==, "[]\n");
  }
}

static void
test_privacy (Fixture       *f,
              gconstpointer  data)
{
  g_auto(Run) add = { 0 };
  g_auto(Run) export_json = { 0 };
  g_auto(Run) export_csv = { 0 };
  g_auto(Run) export_file = { 0 };
  g_auto(Run) erase = { 0 };
  g_auto(Run) erase_again = { 0 };
  g_auto(Run) show = { 0 };
  g_auto(Run) readd = { 0 };
  g_auto(Run) import = { 0 };
  g_auto(Run) export_gone = { 0 };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) erased = NULL;
  g_autoptr(JsonNode) erased2 = NULL;
  g_autoptr(JsonNode) report = NULL;
  g_autofree char *out_path = g_build_filename (f->dir, "export.json", NULL);
  g_autofree char *written = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *csv = NULL;
  JsonObject *object;
  JsonArray *errors;

  RUN (f, &add, "consent", "add", "--phone", NY_PHONE, "--channel", "sms", "--purpose",
       "promotional", "--source", "web_form", "--wording", "Deals by text, privacy test",
       "--at", "2026-01-01");
  assert_ok (&add);

  RUN (f, &export_json, "privacy", "export", "--phone", NY_PHONE);
  assert_ok (&export_json);
  node = parse_json (export_json.out);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_assert_nonnull (strstr (export_json.out, NY_PHONE));
  g_assert_nonnull (strstr (export_json.out, "Deals by text, privacy test"));

  RUN (f, &export_csv, "privacy", "export", "--phone", NY_PHONE, "--format", "csv");
  assert_ok (&export_csv);
  g_assert_true (g_str_has_prefix (export_csv.out, "section,field,value,time"));
  g_assert_nonnull (strstr (export_csv.out, "Deals by text, privacy test"));

  RUN (f, &export_file, "privacy", "export", "--phone", NY_PHONE, "--output", out_path);
  assert_ok (&export_file);
  expected = g_strdup_printf ("Exported everything held about " NY_PHONE " to %s\n", out_path);
  g_assert_cmpstr (export_file.out, ==, expected);
  g_assert_true (g_file_get_contents (out_path, &written, NULL, NULL));
  g_assert_nonnull (strstr (written, "Deals by text, privacy test"));

  RUN (f, &erase, "privacy", "erase", "--phone", "212 555 0123", "--yes", "--json");
  erased = parse_object (&erase);
  object = json_node_get_object (erased);
  assert_member_string (object, "phone", NY_PHONE);
  g_assert_true (json_object_get_boolean_member (object, "erased"));
  g_assert_true (json_object_get_boolean_member (object, "suppressed"));

  /* Erasing again finds nobody; the number stays suppressed. */
  RUN (f, &erase_again, "privacy", "erase", "--phone", NY_PHONE, "--yes", "--json");
  erased2 = parse_object (&erase_again);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (erased2), "erased"));

  RUN (f, &show, "consent", "show", "--phone", NY_PHONE);
  g_assert_cmpint (show.status, ==, 1);
  g_assert_cmpstr (show.err, ==, "textcast-cli: no contact has the phone number " NY_PHONE "\n");
  RUN (f, &export_gone, "privacy", "export", "--phone", NY_PHONE);
  g_assert_cmpint (export_gone.status, ==, 1);
  g_assert_cmpstr (export_gone.err, ==,
                   "textcast-cli: no contact has the phone number " NY_PHONE
                   ": Textcast holds nothing about it\n");

  /* Nobody can opt them back in by hand … */
  RUN (f, &readd, "consent", "add", "--phone", NY_PHONE, "--channel", "sms", "--purpose",
       "promotional", "--source", "manual", "--wording", "again");
  g_assert_cmpint (readd.status, ==, 1);
  g_assert_true (g_str_has_prefix (readd.err, "textcast-cli: cannot record the opt-in: "));
  g_assert_nonnull (strstr (readd.err, "erased"));

  /* … or by an import. */
  write_file (f, "again.csv",
              "phone,first_name,consent_sms_promotional\n"
              NY_PHONE ",Ann,yes\n"
              SF_PHONE ",Bob,2026-01-02\n",
              &csv);
  RUN (f, &import, "contacts", "import", csv, "--json");
  report = parse_object (&import);
  object = json_node_get_object (report);
  g_assert_cmpint (json_object_get_int_member (object, "rows"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (object, "imported"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object, "rejected"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object, "consents_recorded"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object, "consents_kept_opt_out"), ==, 0);
  errors = json_object_get_array_member (object, "errors");
  g_assert_cmpuint (json_array_get_length (errors), ==, 1);
  object = json_array_get_object_element (errors, 0);
  g_assert_cmpint (json_object_get_int_member (object, "line"), ==, 2);
  assert_member_string (object, "value", NY_PHONE);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "reason"),
                                   "erased at the person's request"));
}

/* contacts import with consent columns, through the CLI. */
static void
test_import (Fixture       *f,
             gconstpointer  data)
{
  g_auto(Run) revoke_setup = { 0 };
  g_auto(Run) revoke = { 0 };
  g_auto(Run) import = { 0 };
  g_auto(Run) words = { 0 };
  g_auto(Run) show = { 0 };
  g_autoptr(JsonNode) report = NULL;
  g_autoptr(JsonNode) shown = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *csv2 = NULL;
  JsonObject *object, *issue, *pair;
  JsonArray *errors, *events;

  /* SF opted out of promotional SMS before the import. */
  RUN (f, &revoke_setup, "consent", "add", "--phone", SF_PHONE, "--channel", "sms", "--purpose",
       "promotional", "--source", "import", "--wording", "old list", "--at", "2025-01-01");
  assert_ok (&revoke_setup);
  RUN (f, &revoke, "consent", "revoke", "--phone", SF_PHONE, "--channel", "sms", "--purpose",
       "promotional", "--at", "2025-06-01");
  assert_ok (&revoke);

  write_file (f, "list.csv",
              "Phone,Name,Consent_SMS_Promotional,consent_whatsapp_transactional,consent_source,"
              "consent_wording\n"
              NY_PHONE ",Ann Lee,2026-03-01T09:30:00+01:00,yes,checkout,Text me deals\n"
              SF_PHONE ",Bob Roy,yes,,,\n"
              FR_PHONE ",Chloé Roux,maybe,,,\n"
              "+447700123456,Dan Hill,2999-01-01,,,\n"
              "+61412345678,Eve Kim,no,2026-02-01,billboard,x\n"
              "+4915112345678,Finn Berg,,,,\n",
              &csv);
  RUN (f, &import, "contacts", "import", csv, "--json");
  report = parse_object (&import);
  object = json_node_get_object (report);
  g_assert_cmpint (json_object_get_int_member (object, "rows"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (object, "imported"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (object, "updated"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object, "rejected"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (object, "consents_recorded"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (object, "consents_kept_opt_out"), ==, 1);
  errors = json_object_get_array_member (object, "errors");
  g_assert_cmpuint (json_array_get_length (errors), ==, 3);
  issue = json_array_get_object_element (errors, 0);
  g_assert_cmpint (json_object_get_int_member (issue, "line"), ==, 4);
  assert_member_string (issue, "value", "maybe");
  assert_member_string (issue, "reason",
                        "“maybe” in Consent_SMS_Promotional is not an opt-in time, yes or no: "
                        "write a time with its offset (2026-03-01T09:30:00Z) or a date "
                        "(2026-03-01)");
  issue = json_array_get_object_element (errors, 1);
  g_assert_cmpint (json_object_get_int_member (issue, "line"), ==, 5);
  assert_member_string (issue, "value", "2999-01-01");
  assert_member_string (issue, "reason",
                        "Consent_SMS_Promotional says “2999-01-01”, which is in the future: an "
                        "opt-in time must be when the person agreed");
  issue = json_array_get_object_element (errors, 2);
  g_assert_cmpint (json_object_get_int_member (issue, "line"), ==, 6);
  assert_member_string (issue, "value", "billboard");
  assert_member_string (issue, "reason",
                        "“billboard” in consent_source is not a consent source: use web_form, "
                        "checkout, keyword, qr_code, import, api or manual");

  RUN (f, &show, "consent", "show", "--phone", NY_PHONE, "--json");
  shown = parse_object (&show);
  object = json_node_get_object (shown);
  pair = member_object (member_object (member_object (object, "status"), "sms"), "promotional");
  assert_member_string (pair, "status", "opted_in");
  assert_member_string (pair, "since", "2026-03-01T08:30:00Z");
  assert_member_string (pair, "source", "checkout");
  pair = member_object (member_object (member_object (object, "status"), "whatsapp"),
                        "transactional");
  assert_member_string (pair, "status", "opted_in");
  events = json_object_get_array_member (object, "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 2);
  object = json_array_get_object_element (events, 0);
  assert_member_string (object, "kind", "opted_in");
  assert_member_string (object, "method", "single");
  assert_member_string (object, "wording", "Text me deals");
  assert_member_string (object, "origin", "list.csv line 2");

  /* The human summary counts them too. */
  write_file (f, "list2.csv", "phone,consent_sms_transactional\n" FR_PHONE ",2026-01-05\n",
              &csv2);
  RUN (f, &words, "contacts", "import", csv2);
  assert_ok (&words);
  g_assert_nonnull (strstr (words.out, "1 row read, 1 imported, 0 updated, 0 rejected\n"
                                       "  consent: 1 opt-in recorded, 0 kept opted out"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/tc/cli/consent/add", test_consent_add);
  ADD ("/tc/cli/consent/show-revoke", test_consent_show);
  ADD ("/tc/cli/consent/revoke-unknown", test_consent_revoke_unknown);
  ADD ("/tc/cli/consent/double-optin", test_consent_double_optin);
  ADD ("/tc/cli/consent/bad-input", test_bad_input);
  ADD ("/tc/cli/consent/help", test_help);
  ADD ("/tc/cli/inbound/actions", test_inbound);
  ADD ("/tc/cli/gate/check", test_gate);
  ADD ("/tc/cli/gate/stop-never-sends", test_stop_property);
  ADD ("/tc/cli/senders/add-list-remove", test_senders);
  ADD ("/tc/cli/privacy/export-erase", test_privacy);
  ADD ("/tc/cli/import/consent-columns", test_import);

#undef ADD

  return g_test_run ();
}
