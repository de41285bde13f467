/* test-senders.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The registry of sending identities (tc-senders.h): the rules on a sender
 * (type guess, defaults, purpose, countries, JSON), and the senders table
 * through the public API and the worker-side lookup.
 */

#define G_LOG_DOMAIN "test-senders"

#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "tc-repository-private.h"
#include "tc-repository.h"
#include "tc-senders.h"
#include "tc-test-util.h"

typedef TcTestRepo Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  tc_test_repo_set_up (f, "tc-senders-XXXXXX", "textcast.db");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tc_test_repo_tear_down (f);
}

/* Helpers ---------------------------------------------------------------- */

static TcSender *
make_sender (const char   *id,
             TcSenderType  type,
             TcSenderUse   use,
             double        mps,
             guint         daily_cap,
             const char   *countries)
{
  TcSender *sender = tc_sender_new (id, type, use);

  sender->mps = mps;
  sender->daily_cap = daily_cap;
  g_strfreev (sender->countries);
  sender->countries = countries != NULL ? g_strsplit (countries, ",", -1) : g_new0 (char *, 1);

  return sender;
}

static gboolean
save (TcRepository    *repo,
      const TcSender  *sender,
      GError         **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  tc_senders_save_async (repo, sender, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);

  return tc_senders_save_finish (repo, res, error);
}

static void
save_ok (TcRepository   *repo,
         const TcSender *sender)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (save (repo, sender, &error));
  g_assert_no_error (error);
}

static gboolean
remove_sender (TcRepository  *repo,
               const char    *id,
               GError       **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  tc_senders_remove_async (repo, id, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);

  return tc_senders_remove_finish (repo, res, error);
}

static GPtrArray *
list (TcRepository *repo)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *senders;

  tc_senders_list_async (repo, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  senders = tc_senders_list_finish (repo, res, &error);
  g_assert_no_error (error);
  g_assert_nonnull (senders);

  return senders;
}

static char *
join_countries (const TcSender *sender)
{
  return g_strjoinv (",", sender->countries);
}

/* Rules ------------------------------------------------------------------ */

static void
test_guess_type (void)
{
  static const struct
  {
    const char   *id;
    TcChannel     channel;
    TcSenderType  expected;
  } cases[] = {
    { "+14155550100",      TC_CHANNEL_SMS,      TC_SENDER_TYPE_LONG_CODE },
    { "+1 415 555 0100",   TC_CHANNEL_SMS,      TC_SENDER_TYPE_LONG_CODE },
    { "55555",             TC_CHANNEL_SMS,      TC_SENDER_TYPE_SHORT_CODE },
    { "123456",            TC_CHANNEL_SMS,      TC_SENDER_TYPE_SHORT_CODE },
    { "1234",              TC_CHANNEL_SMS,      TC_SENDER_TYPE_LONG_CODE },
    { "1234567",           TC_CHANNEL_SMS,      TC_SENDER_TYPE_LONG_CODE },
    { "+55555",            TC_CHANNEL_SMS,      TC_SENDER_TYPE_LONG_CODE },
    { "+18005550100",      TC_CHANNEL_SMS,      TC_SENDER_TYPE_TOLL_FREE },
    { "+18335550100",      TC_CHANNEL_SMS,      TC_SENDER_TYPE_TOLL_FREE },
    { "+18445550100",      TC_CHANNEL_SMS,      TC_SENDER_TYPE_TOLL_FREE },
    { "+18555550100",      TC_CHANNEL_SMS,      TC_SENDER_TYPE_TOLL_FREE },
    { "+18665550100",      TC_CHANNEL_SMS,      TC_SENDER_TYPE_TOLL_FREE },
    { "+18775550100",      TC_CHANNEL_SMS,      TC_SENDER_TYPE_TOLL_FREE },
    { "+1 (888) 555-0100", TC_CHANNEL_SMS,      TC_SENDER_TYPE_TOLL_FREE },
    { "1-800-555-0100",    TC_CHANNEL_SMS,      TC_SENDER_TYPE_TOLL_FREE },
    /* 809 is the Dominican Republic, 822 is not a toll-free code. */
    { "+18095550100",      TC_CHANNEL_SMS,      TC_SENDER_TYPE_LONG_CODE },
    { "+18225550100",      TC_CHANNEL_SMS,      TC_SENDER_TYPE_LONG_CODE },
    /* Too short for a North American number. */
    { "+1800555010",       TC_CHANNEL_SMS,      TC_SENDER_TYPE_LONG_CODE },
    /* Toll-free elsewhere is not what the rule covers. */
    { "+448001234567",     TC_CHANNEL_SMS,      TC_SENDER_TYPE_LONG_CODE },
    { "ACME",              TC_CHANNEL_SMS,      TC_SENDER_TYPE_LONG_CODE },
    { "",                  TC_CHANNEL_SMS,      TC_SENDER_TYPE_LONG_CODE },
    { "106540185154781",   TC_CHANNEL_WHATSAPP, TC_SENDER_TYPE_WHATSAPP },
    { "55555",             TC_CHANNEL_WHATSAPP, TC_SENDER_TYPE_WHATSAPP },
    { "+18005550100",      TC_CHANNEL_WHATSAPP, TC_SENDER_TYPE_WHATSAPP },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TcSenderType type = tc_sender_guess_type (cases[i].id, cases[i].channel);

      if (type != cases[i].expected)
        g_error ("“%s” on %s: expected %s, got %s", cases[i].id,
                 tc_channel_to_string (cases[i].channel),
                 tc_sender_type_to_string (cases[i].expected), tc_sender_type_to_string (type));
    }
}

static void
test_unregistered (void)
{
  static const struct
  {
    const char   *id;
    TcChannel     channel;
    TcSenderType  type;
    double        mps;
    guint         daily_cap;
  } cases[] = {
    { "+14155550100",    TC_CHANNEL_SMS,      TC_SENDER_TYPE_LONG_CODE,  1,   2000 },
    { "+18005550100",    TC_CHANNEL_SMS,      TC_SENDER_TYPE_TOLL_FREE,  3,   0 },
    { "55555",           TC_CHANNEL_SMS,      TC_SENDER_TYPE_SHORT_CODE, 100, 0 },
    { "106540185154781", TC_CHANNEL_WHATSAPP, TC_SENDER_TYPE_WHATSAPP,   80,  0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TcSender) sender = tc_sender_new_unregistered (cases[i].id, cases[i].channel);

      g_assert_cmpstr (sender->id, ==, cases[i].id);
      g_assert_cmpint (sender->type, ==, cases[i].type);
      g_assert_cmpint (sender->use, ==, TC_SENDER_USE_BOTH);
      g_assert_cmpfloat (sender->mps, ==, cases[i].mps);
      g_assert_cmpuint (sender->daily_cap, ==, cases[i].daily_cap);
      g_assert_nonnull (sender->countries);
      g_assert_null (sender->countries[0]);
      g_assert_false (sender->registered);
      g_assert_true (tc_sender_allows_purpose (sender, TC_PURPOSE_PROMOTIONAL));
      g_assert_true (tc_sender_serves_country (sender, "BR"));
    }
}

static void
test_allows_purpose (void)
{
  static const struct
  {
    TcSenderUse use;
    TcPurpose   purpose;
    gboolean    allowed;
  } cases[] = {
    { TC_SENDER_USE_TRANSACTIONAL, TC_PURPOSE_TRANSACTIONAL, TRUE },
    { TC_SENDER_USE_TRANSACTIONAL, TC_PURPOSE_PROMOTIONAL,   FALSE },
    { TC_SENDER_USE_PROMOTIONAL,   TC_PURPOSE_PROMOTIONAL,   TRUE },
    { TC_SENDER_USE_PROMOTIONAL,   TC_PURPOSE_TRANSACTIONAL, TRUE },
    { TC_SENDER_USE_BOTH,          TC_PURPOSE_PROMOTIONAL,   TRUE },
    { TC_SENDER_USE_BOTH,          TC_PURPOSE_TRANSACTIONAL, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TcSender) sender = tc_sender_new ("+14155550100", TC_SENDER_TYPE_LONG_CODE,
                                                  cases[i].use);

      if (tc_sender_allows_purpose (sender, cases[i].purpose) != cases[i].allowed)
        g_error ("%s sender, %s message: expected %s",
                 tc_sender_use_to_string (cases[i].use),
                 tc_purpose_to_string (cases[i].purpose),
                 cases[i].allowed ? "allowed" : "refused");
    }
}

static void
test_serves_country (void)
{
  static const struct
  {
    const char *countries;  /* NULL: any */
    const char *country;
    gboolean    served;
  } cases[] = {
    { NULL,    "US", TRUE },
    { NULL,    "001", TRUE },
    { NULL,    NULL, TRUE },
    { "US,CA", "US", TRUE },
    { "US,CA", "CA", TRUE },
    { "US,CA", "ca", TRUE },
    { "US,CA", "GB", FALSE },
    { "US,CA", "",   FALSE },
    { "US,CA", NULL, FALSE },
    { "US,CA", "USA", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TcSender) sender = make_sender ("+14155550100", TC_SENDER_TYPE_LONG_CODE,
                                                TC_SENDER_USE_BOTH, 1, 0, cases[i].countries);

      if (tc_sender_serves_country (sender, cases[i].country) != cases[i].served)
        g_error ("countries %s, recipient in %s: expected %s",
                 cases[i].countries ? cases[i].countries : "(any)",
                 cases[i].country ? cases[i].country : "(unknown)",
                 cases[i].served ? "served" : "not served");
    }
}

static JsonObject *
parse_object (const char *json,
              JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_json (void)
{
  g_autoptr(TcSender) whole = make_sender ("+14155550100", TC_SENDER_TYPE_LONG_CODE,
                                           TC_SENDER_USE_PROMOTIONAL, 1, 2000, "US,CA");
  g_autoptr(TcSender) fraction = make_sender ("55555", TC_SENDER_TYPE_SHORT_CODE,
                                              TC_SENDER_USE_TRANSACTIONAL, 2.5, 0, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json = NULL;
  JsonObject *object;
  JsonArray *countries;

  json = tc_sender_to_json (whole);
  object = parse_object (json, parser);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, "+14155550100");
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "long_code");
  g_assert_cmpstr (json_object_get_string_member (object, "purpose"), ==, "promotional");
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "mps")), ==,
                   G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (object, "mps"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object, "daily_cap"), ==, 2000);
  countries = json_object_get_array_member (object, "countries");
  g_assert_cmpuint (json_array_get_length (countries), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (countries, 0), ==, "US");
  g_assert_cmpstr (json_array_get_string_element (countries, 1), ==, "CA");
  g_assert_false (json_object_get_boolean_member (object, "registered"));
  g_assert_nonnull (strstr (json, "\"mps\":1,"));
  g_clear_pointer (&json, g_free);

  json = tc_sender_to_json (fraction);
  object = parse_object (json, parser);
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "short_code");
  g_assert_cmpstr (json_object_get_string_member (object, "purpose"), ==, "transactional");
  g_assert_cmpfloat (json_object_get_double_member (object, "mps"), ==, 2.5);
  g_assert_true (json_object_get_null_member (object, "daily_cap"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "countries")),
                    ==, 0);
}

static void
test_boxed (void)
{
  g_autoptr(TcSender) sender = make_sender ("+14155550100", TC_SENDER_TYPE_LONG_CODE,
                                            TC_SENDER_USE_BOTH, 4, 100, "US");
  TcSender *copy;

  g_assert_true (G_TYPE_IS_BOXED (TC_TYPE_SENDER));
  g_assert_cmpstr (g_type_name (TC_TYPE_SENDER), ==, "TcSender");

  copy = g_boxed_copy (TC_TYPE_SENDER, sender);
  g_assert_true (copy != sender);
  g_assert_true (copy->id != sender->id);
  g_assert_true (copy->countries != sender->countries);
  g_assert_cmpstr (copy->id, ==, sender->id);
  g_assert_cmpint (copy->type, ==, sender->type);
  g_assert_cmpint (copy->use, ==, sender->use);
  g_assert_cmpfloat (copy->mps, ==, 4);
  g_assert_cmpuint (copy->daily_cap, ==, 100);
  g_assert_cmpstrv (copy->countries, sender->countries);

  /* The copy is independent of the original. */
  g_free (sender->countries[0]);
  sender->countries[0] = g_strdup ("CA");
  g_assert_cmpstr (copy->countries[0], ==, "US");
  g_boxed_free (TC_TYPE_SENDER, copy);

  tc_sender_free (NULL);
}

/* The table ---------------------------------------------------------------- */

static void
on_contacts_changed_cb (TcRepository *repo,
                        gpointer      user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_save_list_remove (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(TcSender) local = make_sender ("(415) 555-0100", TC_SENDER_TYPE_LONG_CODE,
                                           TC_SENDER_USE_TRANSACTIONAL, 1.5, 2000, " us , ca,US");
  g_autoptr(TcSender) short_code = make_sender ("  55555 ", TC_SENDER_TYPE_SHORT_CODE,
                                                TC_SENDER_USE_PROMOTIONAL, 100, 0, NULL);
  g_autoptr(TcSender) whatsapp = make_sender ("106540185154781", TC_SENDER_TYPE_WHATSAPP,
                                              TC_SENDER_USE_BOTH, 0, 0, "BR");
  g_autoptr(TcSender) toll_free = make_sender ("+1 800 555 0100", TC_SENDER_TYPE_TOLL_FREE,
                                               TC_SENDER_USE_BOTH, 3, 0, NULL);
  g_autoptr(GPtrArray) senders = NULL;
  g_autoptr(GError) error = NULL;
  guint changed = 0;
  TcSender *s;
  g_autofree char *countries = NULL;

  g_signal_connect (f->repo, "contacts-changed", G_CALLBACK (on_contacts_changed_cb), &changed);

  senders = list (f->repo);
  g_assert_cmpuint (senders->len, ==, 0);
  g_clear_pointer (&senders, g_ptr_array_unref);

  save_ok (f->repo, whatsapp);
  save_ok (f->repo, local);
  save_ok (f->repo, short_code);
  save_ok (f->repo, toll_free);

  /* By id; ids and countries as stored. */
  senders = list (f->repo);
  g_assert_cmpuint (senders->len, ==, 4);
  s = g_ptr_array_index (senders, 0);
  g_assert_cmpstr (s->id, ==, "+14155550100");
  g_assert_cmpint (s->type, ==, TC_SENDER_TYPE_LONG_CODE);
  g_assert_cmpint (s->use, ==, TC_SENDER_USE_TRANSACTIONAL);
  g_assert_cmpfloat (s->mps, ==, 1.5);
  g_assert_cmpuint (s->daily_cap, ==, 2000);
  countries = join_countries (s);
  g_assert_cmpstr (countries, ==, "US,CA");
  g_assert_true (s->registered);
  s = g_ptr_array_index (senders, 1);
  g_assert_cmpstr (s->id, ==, "+18005550100");
  g_assert_cmpint (s->type, ==, TC_SENDER_TYPE_TOLL_FREE);
  g_assert_null (s->countries[0]);
  s = g_ptr_array_index (senders, 2);
  g_assert_cmpstr (s->id, ==, "106540185154781");
  g_assert_cmpint (s->type, ==, TC_SENDER_TYPE_WHATSAPP);
  g_assert_cmpfloat (s->mps, ==, 0);
  g_assert_cmpstr (s->countries[0], ==, "BR");
  g_assert_null (s->countries[1]);
  s = g_ptr_array_index (senders, 3);
  g_assert_cmpstr (s->id, ==, "55555");
  g_assert_cmpint (s->type, ==, TC_SENDER_TYPE_SHORT_CODE);
  g_assert_cmpint (s->use, ==, TC_SENDER_USE_PROMOTIONAL);
  g_clear_pointer (&senders, g_ptr_array_unref);

  /* Saving the same id (written another way) replaces it. */
  g_free (local->id);
  local->id = g_strdup ("+1 415-555-0100");
  local->use = TC_SENDER_USE_BOTH;
  local->mps = 10;
  local->daily_cap = 0;
  g_strfreev (local->countries);
  local->countries = g_new0 (char *, 1);
  save_ok (f->repo, local);
  senders = list (f->repo);
  g_assert_cmpuint (senders->len, ==, 4);
  s = g_ptr_array_index (senders, 0);
  g_assert_cmpstr (s->id, ==, "+14155550100");
  g_assert_cmpint (s->use, ==, TC_SENDER_USE_BOTH);
  g_assert_cmpfloat (s->mps, ==, 10);
  g_assert_cmpuint (s->daily_cap, ==, 0);
  g_assert_null (s->countries[0]);
  g_clear_pointer (&senders, g_ptr_array_unref);

  /* Removing: by the id as written, once. */
  g_assert_true (remove_sender (f->repo, "+1 (415) 555-0100", &error));
  g_assert_no_error (error);
  g_assert_true (remove_sender (f->repo, "55555", &error));
  g_assert_no_error (error);
  g_assert_false (remove_sender (f->repo, "55555", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "55555"));
  g_clear_error (&error);

  senders = list (f->repo);
  g_assert_cmpuint (senders->len, ==, 2);
  g_assert_cmpstr (((TcSender *) g_ptr_array_index (senders, 0))->id, ==, "+18005550100");
  g_assert_cmpstr (((TcSender *) g_ptr_array_index (senders, 1))->id, ==, "106540185154781");

  /* No contact list shows senders. */
  tc_test_drain_main_context ();
  g_assert_cmpuint (changed, ==, 0);
  g_signal_handlers_disconnect_by_func (f->repo, on_contacts_changed_cb, &changed);
}

static void
test_invalid (Fixture       *f,
              gconstpointer  data)
{
  static const struct
  {
    const char   *id;
    TcSenderType  type;
    double        mps;
    const char   *countries;
    const char   *named;     /* what the message must name */
  } cases[] = {
    { "",                  TC_SENDER_TYPE_LONG_CODE,  1, NULL,    "id" },
    { "   ",               TC_SENDER_TYPE_SHORT_CODE, 1, NULL,    "id" },
    { "hello",             TC_SENDER_TYPE_LONG_CODE,  1, NULL,    "hello" },
    { "4155550100",        TC_SENDER_TYPE_LONG_CODE,  1, NULL,    "4155550100" },
    { "+1415555",          TC_SENDER_TYPE_LONG_CODE,  1, NULL,    "+1415555" },
    { "12",                TC_SENDER_TYPE_SHORT_CODE, 1, NULL,    "12" },
    { "123456789",         TC_SENDER_TYPE_SHORT_CODE, 1, NULL,    "123456789" },
    { "555-55",            TC_SENDER_TYPE_SHORT_CODE, 1, NULL,    "555-55" },
    { "+55555",            TC_SENDER_TYPE_SHORT_CODE, 1, NULL,    "+55555" },
    { "+14155550100",      TC_SENDER_TYPE_WHATSAPP,   1, NULL,    "+14155550100" },
    { "1065abc",           TC_SENDER_TYPE_WHATSAPP,   1, NULL,    "1065abc" },
    { "+14155550100",      TC_SENDER_TYPE_TOLL_FREE,  1, NULL,    "+14155550100" },
    { "+14155550100",      TC_SENDER_TYPE_LONG_CODE,  -1, NULL,   "-1" },
    { "+14155550100",      TC_SENDER_TYPE_LONG_CODE,  NAN, NULL,  "nan" },
    { "+14155550100",      TC_SENDER_TYPE_LONG_CODE,  INFINITY, NULL, "inf" },
    { "+14155550100",      TC_SENDER_TYPE_LONG_CODE,  1, "USA",   "USA" },
    { "+14155550100",      TC_SENDER_TYPE_LONG_CODE,  1, "US,XX", "XX" },
    { "+14155550100",      TC_SENDER_TYPE_LONG_CODE,  1, "1A",    "1A" },
    { "+14155550100",      TC_SENDER_TYPE_LONG_CODE,  1, "US,",   "country code" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TcSender) sender = make_sender (cases[i].id, cases[i].type, TC_SENDER_USE_BOTH,
                                                cases[i].mps, 0, cases[i].countries);
      g_autoptr(GError) error = NULL;

      if (save (f->repo, sender, &error))
        g_error ("sender “%s” (%s, mps %g, countries %s) was accepted", cases[i].id,
                 tc_sender_type_to_string (cases[i].type), cases[i].mps,
                 cases[i].countries ? cases[i].countries : "any");
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      if (strstr (error->message, cases[i].named) == NULL)
        g_error ("the message “%s” does not name “%s”", error->message, cases[i].named);
    }

  /* Nothing was stored. */
  {
    g_autoptr(GPtrArray) senders = list (f->repo);

    g_assert_cmpuint (senders->len, ==, 0);
  }
}

/* A national number is read in the first country the sender serves. */
static void
test_national_number (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(TcSender) sender = make_sender ("020 7946 0958", TC_SENDER_TYPE_LONG_CODE,
                                            TC_SENDER_USE_BOTH, 1, 0, "gb");
  g_autoptr(GPtrArray) senders = NULL;

  save_ok (f->repo, sender);
  senders = list (f->repo);
  g_assert_cmpuint (senders->len, ==, 1);
  g_assert_cmpstr (((TcSender *) g_ptr_array_index (senders, 0))->id, ==, "+442079460958");
  g_assert_cmpstr (((TcSender *) g_ptr_array_index (senders, 0))->countries[0], ==, "GB");
}

typedef struct
{
  const char *id;
  TcSender   *found;
} LookupJob;

static gpointer
lookup_job (TcDb          *db,
            gpointer       job_data,
            GCancellable  *cancellable,
            GError       **error)
{
  LookupJob *job = job_data;
  GError *local_error = NULL;

  job->found = _tc_db_lookup_sender (db, job->id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  return GINT_TO_POINTER (1);
}

static TcSender *
lookup (TcRepository *repo,
        const char   *id)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  LookupJob job = { id, NULL };

  _tc_repository_run_async (repo, TC_DB_JOB_READ, lookup_job, &job, NULL, NULL, NULL,
                            tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_nonnull (_tc_repository_run_finish (repo, res, &error));
  g_assert_no_error (error);

  return job.found;
}

static void
test_lookup (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(TcSender) sender = make_sender ("+18885550100", TC_SENDER_TYPE_TOLL_FREE,
                                            TC_SENDER_USE_TRANSACTIONAL, 25, 5000, "US,CA");
  g_autoptr(TcSender) found = NULL;
  g_autoptr(TcSender) missing = NULL;
  g_autofree char *countries = NULL;

  save_ok (f->repo, sender);

  found = lookup (f->repo, "+18885550100");
  g_assert_nonnull (found);
  g_assert_cmpstr (found->id, ==, "+18885550100");
  g_assert_cmpint (found->type, ==, TC_SENDER_TYPE_TOLL_FREE);
  g_assert_cmpint (found->use, ==, TC_SENDER_USE_TRANSACTIONAL);
  g_assert_cmpfloat (found->mps, ==, 25);
  g_assert_cmpuint (found->daily_cap, ==, 5000);
  countries = join_countries (found);
  g_assert_cmpstr (countries, ==, "US,CA");
  g_assert_true (found->registered);
  g_assert_false (tc_sender_allows_purpose (found, TC_PURPOSE_PROMOTIONAL));
  g_assert_false (tc_sender_serves_country (found, "GB"));

  missing = lookup (f->repo, "+14155550100");
  g_assert_null (missing);
}

/* What the table holds: countries space-separated, created_at kept when a
 * sender is replaced. */
static void
test_storage (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(TcSender) sender = make_sender ("55555", TC_SENDER_TYPE_SHORT_CODE,
                                            TC_SENDER_USE_BOTH, 30, 0, "US,CA,PR");
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  save_ok (f->repo, sender);
  sender->mps = 60;
  save_ok (f->repo, sender);

  tc_repository_close (f->repo);
  tc_test_drain_main_context ();
  g_assert_finalize_object (f->repo);
  f->repo = NULL;

  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT type, use, mps, countries, created_at <= updated_at"
                                       " FROM senders",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "short_code");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "both");
  g_assert_cmpfloat (sqlite3_column_double (stmt, 2), ==, 60);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 3), ==, "US CA PR");
  g_assert_cmpint (sqlite3_column_int (stmt, 4), ==, 1);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tc/senders/guess-type", test_guess_type);
  g_test_add_func ("/tc/senders/unregistered", test_unregistered);
  g_test_add_func ("/tc/senders/allows-purpose", test_allows_purpose);
  g_test_add_func ("/tc/senders/serves-country", test_serves_country);
  g_test_add_func ("/tc/senders/json", test_json);
  g_test_add_func ("/tc/senders/boxed", test_boxed);
  g_test_add ("/tc/senders/save-list-remove", Fixture, NULL,
              fixture_set_up, test_save_list_remove, fixture_tear_down);
  g_test_add ("/tc/senders/invalid", Fixture, NULL,
              fixture_set_up, test_invalid, fixture_tear_down);
  g_test_add ("/tc/senders/national-number", Fixture, NULL,
              fixture_set_up, test_national_number, fixture_tear_down);
  g_test_add ("/tc/senders/lookup", Fixture, NULL,
              fixture_set_up, test_lookup, fixture_tear_down);
  g_test_add ("/tc/senders/storage", Fixture, NULL,
              fixture_set_up, test_storage, fixture_tear_down);

  return g_test_run ();
}
