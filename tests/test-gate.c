/* test-gate.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The send gate and the quiet-hour rules: the rule table and its JSON
 * form, the window boundaries in the recipient's zone, numbers with
 * several candidate zones, daylight-saving changes in the US, Europe and
 * Australia, every skip reason, the WhatsApp window, caps, and a property
 * test over thousands of random recipients and times.
 */

#define G_LOG_DOMAIN "test-gate"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tc-gate.h"
#include "tc-quiet-hours.h"
#include "tc-senders.h"
#include "tc-settings.h"

#define PLAIN_RULES "[{\"country\":\"*\",\"windows\":{\"daily\":\"08:00-21:00\"}}]"

/* Helpers */

/* "2026-06-10 07:59" in @zone → unix seconds; "2026-06-10 12:30Z" is UTC. */
static gint64
at (const char *zone,
    const char *text)
{
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) dt = NULL;
  int y, mo, d, h, mi;
  char z = '\0';

  g_assert_cmpint (sscanf (text, "%d-%d-%d %d:%d%c", &y, &mo, &d, &h, &mi, &z), >=, 5);
  tz = z == 'Z' ? g_time_zone_new_utc () : g_time_zone_new_identifier (zone);
  g_assert_nonnull (tz);
  dt = g_date_time_new (tz, y, mo, d, h, mi, 0);
  g_assert_nonnull (dt);

  return g_date_time_to_unix (dt);
}

static char *
format_in (const char *zone,
           gint64      when)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (zone);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (when);
  g_autoptr(GDateTime) dt = g_date_time_to_timezone (utc, tz);

  return g_date_time_format (dt, "%Y-%m-%d %H:%M %a %Z");
}

/* Whether @when is allowed in each zone of @zones taken alone. */
static gboolean
allowed_in_each (const TcQuietHours     *qh,
                 const TcQuietHoursRule *rule,
                 const char * const     *zones,
                 gint64                  when)
{
  for (guint i = 0; zones[i] != NULL; i++)
    {
      const char *one[] = { zones[i], NULL };

      if (!tc_quiet_hours_allows (qh, rule, one, when, NULL))
        return FALSE;
    }

  return TRUE;
}

/* @until is allowed in every zone, and no instant from @now to @until is:
 * checked at @now and at every minute boundary in between (the answer can
 * only change on a minute boundary: windows are whole minutes, and every
 * zone's offset today is a whole number of minutes). */
static void
assert_earliest (const TcQuietHours     *qh,
                 const TcQuietHoursRule *rule,
                 const char * const     *zones,
                 gint64                  now,
                 gint64                  until)
{
  g_assert_cmpint (until, >, now);
  g_assert_cmpint (until - now, <=, 14 * 24 * 3600);
  g_assert_true (tc_quiet_hours_allows (qh, rule, zones, until, NULL));
  g_assert_true (allowed_in_each (qh, rule, zones, until));

  g_assert_false (allowed_in_each (qh, rule, zones, now));
  for (gint64 t = (now / 60 + 1) * 60; t < until; t += 60)
    {
      if (allowed_in_each (qh, rule, zones, t))
        g_error ("%" G_GINT64_FORMAT " is allowed in every zone, before until %" G_GINT64_FORMAT,
                 t, until);
    }
}

static void
base_recipient (TcGateRecipient    *r,
                const char         *phone,
                const char         *country,
                const char * const *zones)
{
  memset (r, 0, sizeof *r);
  r->phone = phone;
  r->number_valid = TRUE;
  r->line_type = TC_PHONE_TYPE_MOBILE;
  r->country = country;
  r->timezones = zones;
  r->consent = TC_CONSENT_STATUS_OPTED_IN;
}

static void
base_message (TcGateMessage *m,
              gint64         now)
{
  memset (m, 0, sizeof *m);
  m->channel = TC_CHANNEL_SMS;
  m->purpose = TC_PURPOSE_PROMOTIONAL;
  m->content = TC_GATE_CONTENT_TEXT;
  m->now = now;
}

/* The rule table */

static void
test_default_table (void)
{
  g_autoptr(TcQuietHours) qh = tc_quiet_hours_new_default ();
  static const struct
  {
    const char *country;
    const char *subdivision;
    const char *rule_country;
    const char *rule_subdivision;
  } lookups[] = {
    { "US", "FL", "US", "FL" },
    { "us", "fl", "US", "FL" },
    { "US", "TX", "US", "TX" },
    { "US", "NY", "US", "" },
    { "US", NULL, "US", "" },
    { "US", "", "US", "" },
    { "FR", NULL, "FR", "" },
    { "FR", "FL", "FR", "" },
    { "CA", "ON", "CA", "" },
    { "XX", NULL, "*", "" },
    { NULL, NULL, "*", "" },
    { NULL, "FL", "*", "" },
  };
  gboolean has_default = FALSE;

  g_assert_cmpuint (tc_quiet_hours_get_n_rules (qh), >=, 10);
  for (guint i = 0; i < tc_quiet_hours_get_n_rules (qh); i++)
    {
      const TcQuietHoursRule *rule = tc_quiet_hours_get_rule (qh, i);
      gboolean open = FALSE;

      /* Every built-in rule says why it is there. */
      g_assert_nonnull (rule->note);
      g_assert_cmpuint (strlen (rule->note), >, 10);
      has_default = has_default || strcmp (rule->country, "*") == 0;
      for (guint d = 0; d < 7; d++)
        {
          g_assert_cmpuint (rule->days[d].start, <=, rule->days[d].end);
          g_assert_cmpuint (rule->days[d].end, <=, 24 * 60);
          open = open || rule->days[d].start < rule->days[d].end;
          /* Conservative: nothing built in opens before 08:00 or closes
           * after 21:30. */
          if (rule->days[d].start < rule->days[d].end)
            {
              g_assert_cmpuint (rule->days[d].start, >=, 8 * 60);
              g_assert_cmpuint (rule->days[d].end, <=, 21 * 60 + 30);
            }
        }
      g_assert_true (open);
    }
  g_assert_true (has_default);

  for (guint i = 0; i < G_N_ELEMENTS (lookups); i++)
    {
      const TcQuietHoursRule *rule = tc_quiet_hours_lookup (qh, lookups[i].country,
                                                            lookups[i].subdivision);

      g_assert_nonnull (rule);
      g_assert_cmpstr (rule->country, ==, lookups[i].rule_country);
      g_assert_cmpstr (rule->subdivision, ==, lookups[i].rule_subdivision);
    }

  /* The rules the issue names. */
  {
    const TcQuietHoursRule *fl = tc_quiet_hours_lookup (qh, "US", "FL");
    const TcQuietHoursRule *tx = tc_quiet_hours_lookup (qh, "US", "TX");
    const TcQuietHoursRule *fr = tc_quiet_hours_lookup (qh, "FR", NULL);
    const TcQuietHoursRule *def = tc_quiet_hours_lookup (qh, NULL, NULL);

    g_assert_cmpuint (fl->days[2].start, ==, 8 * 60);
    g_assert_cmpuint (fl->days[2].end, ==, 20 * 60);
    g_assert_cmpuint (tx->days[5].start, ==, 9 * 60);
    g_assert_cmpuint (tx->days[6].start, ==, 12 * 60);
    g_assert_cmpuint (tx->days[6].end, ==, 21 * 60);
    g_assert_cmpuint (fr->days[6].start, ==, fr->days[6].end);
    g_assert_cmpuint (def->days[0].start, ==, 8 * 60);
    g_assert_cmpuint (def->days[0].end, ==, 21 * 60);
  }
}

static void
assert_same_tables (const TcQuietHours *a,
                    const TcQuietHours *b)
{
  g_assert_cmpuint (tc_quiet_hours_get_n_rules (a), ==, tc_quiet_hours_get_n_rules (b));
  for (guint i = 0; i < tc_quiet_hours_get_n_rules (a); i++)
    {
      const TcQuietHoursRule *ra = tc_quiet_hours_get_rule (a, i);
      const TcQuietHoursRule *rb = tc_quiet_hours_get_rule (b, i);

      g_assert_cmpstr (ra->country, ==, rb->country);
      g_assert_cmpstr (ra->subdivision, ==, rb->subdivision);
      g_assert_cmpstr (ra->note, ==, rb->note);
      for (guint d = 0; d < 7; d++)
        {
          /* A closed day is closed whatever its numbers. */
          if (ra->days[d].start >= ra->days[d].end)
            {
              g_assert_cmpuint (rb->days[d].start, >=, rb->days[d].end);
              continue;
            }
          g_assert_cmpuint (ra->days[d].start, ==, rb->days[d].start);
          g_assert_cmpuint (ra->days[d].end, ==, rb->days[d].end);
        }
    }
}

static void
test_json_round_trip (void)
{
  g_autoptr(TcQuietHours) defaults = tc_quiet_hours_new_default ();
  g_autofree char *json = tc_quiet_hours_to_json (defaults);
  g_autoptr(GError) error = NULL;
  g_autoptr(TcQuietHours) back = tc_quiet_hours_new_from_json (json, &error);
  g_autofree char *again = NULL;
  g_autoptr(TcQuietHours) custom = NULL;
  g_autofree char *custom_json = NULL;
  g_autoptr(TcQuietHours) custom_back = NULL;
  const TcQuietHoursRule *rule;

  g_assert_no_error (error);
  g_assert_nonnull (back);
  assert_same_tables (defaults, back);
  again = tc_quiet_hours_to_json (back);
  g_assert_cmpstr (again, ==, json);

  /* The form of the header, with a comma list, "daily", "closed", a note
   * of null and 24:00. */
  custom = tc_quiet_hours_new_from_json (
    "[{\"country\":\"US\",\"subdivision\":\"fl\",\"windows\":{\"mon-sat\":\"08:00-20:00\","
    "\"sun\":\"12:00-20:00\"},\"note\":\"Florida Telephone Solicitation Act\"},"
    " {\"country\":\"*\",\"windows\":{\"daily\":\"08:00-21:00\"}},"
    " {\"country\":\"de\",\"windows\":{\"tue,thu\":\"09:30-18:15\",\"sat\":\"closed\","
    "\"sun\":\"00:00-24:00\"},\"note\":null}]", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tc_quiet_hours_get_n_rules (custom), ==, 3);

  rule = tc_quiet_hours_get_rule (custom, 0);
  g_assert_cmpstr (rule->country, ==, "US");
  g_assert_cmpstr (rule->subdivision, ==, "FL");
  g_assert_cmpstr (rule->note, ==, "Florida Telephone Solicitation Act");
  for (guint d = 0; d < 6; d++)
    {
      g_assert_cmpuint (rule->days[d].start, ==, 480);
      g_assert_cmpuint (rule->days[d].end, ==, 1200);
    }
  g_assert_cmpuint (rule->days[6].start, ==, 720);

  rule = tc_quiet_hours_get_rule (custom, 2);
  g_assert_cmpstr (rule->country, ==, "DE");
  g_assert_null (rule->note);
  g_assert_cmpuint (rule->days[0].start, ==, rule->days[0].end);   /* not named: closed */
  g_assert_cmpuint (rule->days[1].start, ==, 9 * 60 + 30);
  g_assert_cmpuint (rule->days[1].end, ==, 18 * 60 + 15);
  g_assert_cmpuint (rule->days[3].start, ==, 9 * 60 + 30);
  g_assert_cmpuint (rule->days[5].start, ==, rule->days[5].end);
  g_assert_cmpuint (rule->days[6].start, ==, 0);
  g_assert_cmpuint (rule->days[6].end, ==, 24 * 60);

  custom_json = tc_quiet_hours_to_json (custom);
  g_assert_nonnull (strstr (custom_json, "\"mon-sat\":\"08:00-20:00\""));
  g_assert_nonnull (strstr (custom_json, "\"sun\":\"00:00-24:00\""));
  custom_back = tc_quiet_hours_new_from_json (custom_json, &error);
  g_assert_no_error (error);
  assert_same_tables (custom, custom_back);
}

static void
test_json_errors (void)
{
  static const struct
  {
    const char *json;
    const char *message;   /* a part of the error message */
  } cases[] = {
    { "not json", "not valid JSON" },
    { "{\"country\":\"*\"}", "JSON array" },
    { "[]", "no default rule" },
    { "[{\"country\":\"US\",\"windows\":{\"daily\":\"08:00-21:00\"}}]", "no default rule" },
    { "[42]", "rule 1 is not an object" },
    { "[{\"country\":\"USA\",\"windows\":{\"daily\":\"08:00-21:00\"}}]", "“USA”" },
    { "[{\"windows\":{\"daily\":\"08:00-21:00\"}}]", "(missing)" },
    { "[{\"country\":\"*\",\"windows\":{\"daily\":\"08:00-21:00\"}},"
      " {\"country\":\"US\",\"subdivision\":\"FL\",\"windows\":{\"daily\":\"25:00-20:00\"}}]",
      "rule 2 (US-FL): “25:00-20:00” for daily" },
    { "[{\"country\":\"*\",\"windows\":{\"daily\":\"20:00-08:00\"}}]", "“20:00-08:00”" },
    { "[{\"country\":\"*\",\"windows\":{\"daily\":\"8-21\"}}]", "“8-21”" },
    { "[{\"country\":\"*\",\"windows\":{\"daily\":\"24:00-24:00\"}}]", "“24:00-24:00”" },
    { "[{\"country\":\"*\",\"windows\":{\"daily\":\"08:60-21:00\"}}]", "“08:60-21:00”" },
    { "[{\"country\":\"*\",\"windows\":{\"daily\":800}}]", "(not text)" },
    { "[{\"country\":\"*\",\"windows\":{\"mon-funday\":\"08:00-21:00\"}}]", "“mon-funday”" },
    { "[{\"country\":\"*\",\"windows\":{\"fri-mon\":\"08:00-21:00\"}}]", "“fri-mon”" },
    { "[{\"country\":\"*\",\"windows\":{\"mon-fri\":\"08:00-21:00\",\"fri\":\"09:00-17:00\"}}]",
      "fri is given more than once" },
    { "[{\"country\":\"*\",\"windows\":{\"sun\":\"closed\"}}]", "allows no time" },
    { "[{\"country\":\"*\",\"windows\":{}}]", "allows no time" },
    { "[{\"country\":\"*\"}]", "has no windows" },
    { "[{\"country\":\"*\",\"window\":{\"daily\":\"08:00-21:00\"}}]", "unknown field “window”" },
    { "[{\"country\":\"*\",\"subdivision\":\"FL\",\"windows\":{\"daily\":\"08:00-21:00\"}}]",
      "“FL”" },
    { "[{\"country\":\"*\",\"windows\":{\"daily\":\"08:00-21:00\"}},"
      " {\"country\":\"US\",\"subdivision\":\"FLORIDA\",\"windows\":{\"daily\":\"08:00-20:00\"}}]",
      "“FLORIDA”" },
    { "[{\"country\":\"*\",\"windows\":{\"daily\":\"08:00-21:00\"}},"
      " {\"country\":\"*\",\"windows\":{\"daily\":\"09:00-21:00\"}}]",
      "rule 2 (*) repeats rule 1" },
    { "[{\"country\":\"*\",\"windows\":{\"daily\":\"08:00-21:00\"},\"note\":3}]",
      "note must be text" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TcQuietHours) qh = tc_quiet_hours_new_from_json (cases[i].json, &error);

      g_test_message ("%s", cases[i].json);
      g_assert_null (qh);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("“%s” does not say “%s”", error->message, cases[i].message);
    }
}

/* Boundaries in the recipient's zone */

typedef struct
{
  gboolean     plain;        /* the "*"-only table instead of the built-in one */
  const char  *zone;
  const char  *country;
  const char  *subdivision;
  const char  *now;          /* local time in @zone */
  const char  *until;        /* local time in @zone, NULL = send */
} BoundaryCase;

static const BoundaryCase boundary_cases[] = {
  /* 2026-06-10 is a Wednesday. The TCPA window in New York and Los Angeles. */
  { FALSE, "America/New_York", "US", NULL, "2026-06-10 00:00", "2026-06-10 08:00" },
  { FALSE, "America/New_York", "US", NULL, "2026-06-10 07:59", "2026-06-10 08:00" },
  { FALSE, "America/New_York", "US", NULL, "2026-06-10 08:00", NULL },
  { FALSE, "America/New_York", "US", NULL, "2026-06-10 20:59", NULL },
  { FALSE, "America/New_York", "US", NULL, "2026-06-10 21:00", "2026-06-11 08:00" },
  { FALSE, "America/New_York", "US", NULL, "2026-06-10 23:59", "2026-06-11 08:00" },
  { FALSE, "America/Los_Angeles", "US", "CA", "2026-06-10 07:59", "2026-06-10 08:00" },
  { FALSE, "America/Los_Angeles", "US", "CA", "2026-06-10 08:00", NULL },
  { FALSE, "America/Los_Angeles", "US", "CA", "2026-06-10 20:59", NULL },
  { FALSE, "America/Los_Angeles", "US", "CA", "2026-06-10 21:00", "2026-06-11 08:00" },
  /* The same boundaries with the default rule alone, in Sydney and Paris. */
  { TRUE, "Australia/Sydney", "AU", NULL, "2026-06-10 07:59", "2026-06-10 08:00" },
  { TRUE, "Australia/Sydney", "AU", NULL, "2026-06-10 08:00", NULL },
  { TRUE, "Australia/Sydney", "AU", NULL, "2026-06-10 20:59", NULL },
  { TRUE, "Australia/Sydney", "AU", NULL, "2026-06-10 21:00", "2026-06-11 08:00" },
  { TRUE, "Europe/Paris", "FR", NULL, "2026-06-10 07:59", "2026-06-10 08:00" },
  { TRUE, "Europe/Paris", "FR", NULL, "2026-06-10 08:00", NULL },
  { TRUE, "Europe/Paris", "FR", NULL, "2026-06-10 20:59", NULL },
  { TRUE, "Europe/Paris", "FR", NULL, "2026-06-10 21:00", "2026-06-11 08:00" },
  { TRUE, "Europe/Paris", "FR", NULL, "2026-06-14 12:00", NULL },
  /* Australia's built-in rule: 9-20 weekdays, 9-17 Saturday, not Sunday. */
  { FALSE, "Australia/Sydney", "AU", NULL, "2026-06-10 08:59", "2026-06-10 09:00" },
  { FALSE, "Australia/Sydney", "AU", NULL, "2026-06-10 09:00", NULL },
  { FALSE, "Australia/Sydney", "AU", NULL, "2026-06-10 19:59", NULL },
  { FALSE, "Australia/Sydney", "AU", NULL, "2026-06-10 20:00", "2026-06-11 09:00" },
  { FALSE, "Australia/Sydney", "AU", NULL, "2026-06-12 20:00", "2026-06-13 09:00" },
  { FALSE, "Australia/Sydney", "AU", NULL, "2026-06-13 16:59", NULL },
  { FALSE, "Australia/Sydney", "AU", NULL, "2026-06-13 17:00", "2026-06-15 09:00" },
  { FALSE, "Australia/Sydney", "AU", NULL, "2026-06-14 12:00", "2026-06-15 09:00" },
  /* France: 8-20 Monday to Saturday, nothing on Sunday. */
  { FALSE, "Europe/Paris", "FR", NULL, "2026-06-10 07:59", "2026-06-10 08:00" },
  { FALSE, "Europe/Paris", "FR", NULL, "2026-06-10 08:00", NULL },
  { FALSE, "Europe/Paris", "FR", NULL, "2026-06-10 19:59", NULL },
  { FALSE, "Europe/Paris", "FR", NULL, "2026-06-10 20:00", "2026-06-11 08:00" },
  { FALSE, "Europe/Paris", "FR", NULL, "2026-06-13 19:59", NULL },
  { FALSE, "Europe/Paris", "FR", NULL, "2026-06-13 20:00", "2026-06-15 08:00" },
  { FALSE, "Europe/Paris", "FR", NULL, "2026-06-14 12:00", "2026-06-15 08:00" },
  { FALSE, "Europe/Berlin", "DE", NULL, "2026-06-14 12:00", "2026-06-15 08:00" },
  /* Florida: 8-20. Without the state, the TCPA's 21:00. */
  { FALSE, "America/New_York", "US", "FL", "2026-06-10 07:59", "2026-06-10 08:00" },
  { FALSE, "America/New_York", "US", "FL", "2026-06-10 19:59", NULL },
  { FALSE, "America/New_York", "US", "FL", "2026-06-10 20:00", "2026-06-11 08:00" },
  { FALSE, "America/New_York", "US", "FL", "2026-06-10 20:59", "2026-06-11 08:00" },
  { FALSE, "America/New_York", "US", NULL, "2026-06-10 20:30", NULL },
  /* Texas: 9-21 Monday to Saturday, noon-21 on Sunday. */
  { FALSE, "America/Chicago", "US", "TX", "2026-06-10 08:59", "2026-06-10 09:00" },
  { FALSE, "America/Chicago", "US", "TX", "2026-06-10 09:00", NULL },
  { FALSE, "America/Chicago", "US", "TX", "2026-06-10 20:59", NULL },
  { FALSE, "America/Chicago", "US", "TX", "2026-06-10 21:00", "2026-06-11 09:00" },
  { FALSE, "America/Chicago", "US", "TX", "2026-06-13 20:59", NULL },
  { FALSE, "America/Chicago", "US", "TX", "2026-06-13 21:00", "2026-06-14 12:00" },
  { FALSE, "America/Chicago", "US", "TX", "2026-06-14 09:00", "2026-06-14 12:00" },
  { FALSE, "America/Chicago", "US", "TX", "2026-06-14 11:59", "2026-06-14 12:00" },
  { FALSE, "America/Chicago", "US", "TX", "2026-06-14 12:00", NULL },
  { FALSE, "America/Chicago", "US", "TX", "2026-06-14 21:00", "2026-06-15 09:00" },
  /* Alabama: not on Sundays. */
  { FALSE, "America/Chicago", "US", "AL", "2026-06-14 12:00", "2026-06-15 08:00" },
  /* Canada (CRTC): 9-21:30 weekdays, 10-18 at weekends. */
  { FALSE, "America/Toronto", "CA", "ON", "2026-06-12 21:29", NULL },
  { FALSE, "America/Toronto", "CA", "ON", "2026-06-12 21:30", "2026-06-13 10:00" },
  { FALSE, "America/Toronto", "CA", "ON", "2026-06-13 09:59", "2026-06-13 10:00" },
  { FALSE, "America/Toronto", "CA", "ON", "2026-06-13 17:59", NULL },
  { FALSE, "America/Toronto", "CA", "ON", "2026-06-13 18:00", "2026-06-14 10:00" },
  { FALSE, "America/Toronto", "CA", "ON", "2026-06-14 18:00", "2026-06-15 09:00" },
  /* India (TRAI): 10-21. */
  { FALSE, "Asia/Kolkata", "IN", NULL, "2026-06-10 09:59", "2026-06-10 10:00" },
  { FALSE, "Asia/Kolkata", "IN", NULL, "2026-06-10 10:00", NULL },
};

static void
run_boundary_cases (const BoundaryCase *cases,
                    guint               n_cases)
{
  g_autoptr(TcGatePolicy) defaults = tc_gate_policy_new_default ();
  g_autoptr(GHashTable) settings = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(TcGatePolicy) plain = NULL;
  g_autoptr(GError) error = NULL;

  g_hash_table_insert (settings, (gpointer) TC_SETTING_QUIET_HOURS_RULES, (gpointer) PLAIN_RULES);
  plain = tc_gate_policy_new_from_settings (settings, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < n_cases; i++)
    {
      const BoundaryCase *c = &cases[i];
      const char *zones[] = { c->zone, NULL };
      TcGateRecipient r;
      TcGateMessage m;
      TcGateDecision d;
      g_autofree char *got = NULL;

      base_recipient (&r, "+10000000000", c->country, zones);
      r.subdivision = c->subdivision;
      base_message (&m, at (c->zone, c->now));
      tc_gate_decide (c->plain ? plain : defaults, &r, &m, &d);

      got = d.decision == TC_GATE_DEFER ? format_in (c->zone, d.until) : g_strdup ("send");
      g_test_message ("%s %s %s-%s at %s → %s", c->plain ? "plain" : "default", c->zone,
                      c->country, c->subdivision ? c->subdivision : "", c->now, got);

      if (c->until == NULL)
        {
          g_assert_cmpint (d.decision, ==, TC_GATE_SEND);
          g_assert_cmpint (d.reason, ==, TC_GATE_REASON_NONE);
          g_assert_cmpint (d.until, ==, 0);
          g_assert_cmpstr (d.zone, ==, "");
        }
      else
        {
          g_assert_cmpint (d.decision, ==, TC_GATE_DEFER);
          g_assert_cmpint (d.reason, ==, TC_GATE_REASON_QUIET_HOURS);
          g_assert_cmpint (d.until, ==, at (c->zone, c->until));
          g_assert_cmpstr (d.zone, ==, c->zone);
        }
    }
}

static void
test_boundaries (void)
{
  run_boundary_cases (boundary_cases, G_N_ELEMENTS (boundary_cases));
}

/* Daylight-saving changes, with the plain 08:00-21:00 rule unless a rule is
 * given: until is the local 08:00 after the change, whose UTC instant
 * differs by an hour from the day before. */
typedef struct
{
  const char *rules;      /* NULL = plain */
  const char *zone;
  const char *now;        /* UTC, "…Z" */
  const char *until;      /* UTC, "…Z" */
} DstCase;

static const DstCase dst_cases[] = {
  /* US, 8 March 2026: 02:00 EST → 03:00 EDT. Saturday 21:00 EST is 02:00
   * UTC; Sunday 08:00 EDT is 12:00 UTC, not 13:00. */
  { NULL, "America/New_York", "2026-03-08 02:00Z", "2026-03-08 12:00Z" },
  { NULL, "America/New_York", "2026-03-08 11:59Z", "2026-03-08 12:00Z" },
  { NULL, "America/Los_Angeles", "2026-03-08 05:00Z", "2026-03-08 15:00Z" },
  /* US, 1 November 2026: 02:00 EDT → 01:00 EST. Sunday 08:00 EST is 13:00
   * UTC. */
  { NULL, "America/New_York", "2026-11-01 01:00Z", "2026-11-01 13:00Z" },
  { NULL, "America/New_York", "2026-11-01 12:00Z", "2026-11-01 13:00Z" },
  /* EU, 29 March 2026 at 01:00 UTC: Paris 21:00 CET on Saturday is 20:00
   * UTC; Sunday 08:00 CEST is 06:00 UTC. London 08:00 BST is 07:00 UTC. */
  { NULL, "Europe/Paris", "2026-03-28 20:00Z", "2026-03-29 06:00Z" },
  { NULL, "Europe/London", "2026-03-28 21:00Z", "2026-03-29 07:00Z" },
  /* EU, 25 October 2026: Sunday 08:00 CET is 07:00 UTC, 08:00 GMT is 08:00
   * UTC. */
  { NULL, "Europe/Paris", "2026-10-24 19:00Z", "2026-10-25 07:00Z" },
  { NULL, "Europe/London", "2026-10-24 20:00Z", "2026-10-25 08:00Z" },
  /* Australia, 5 April 2026: 03:00 AEDT → 02:00 AEST. Sunday 08:00 AEST is
   * 22:00 UTC on Saturday (the day before it was 21:00 UTC). */
  { NULL, "Australia/Sydney", "2026-04-04 10:00Z", "2026-04-04 22:00Z" },
  /* Australia, 4 October 2026: 02:00 AEST → 03:00 AEDT. Sunday 08:00 AEDT
   * is 21:00 UTC on Saturday. */
  { NULL, "Australia/Sydney", "2026-10-03 11:00Z", "2026-10-03 21:00Z" },
  /* Adelaide keeps a half-hour offset through the change. */
  { NULL, "Australia/Adelaide", "2026-10-03 11:30Z", "2026-10-03 21:30Z" },
  /* A window that opens inside the skipped hour: 02:30 does not exist in
   * New York on 8 March, so the first valid instant after it, 03:00 EDT
   * (07:00 UTC), is the answer. */
  { "[{\"country\":\"*\",\"windows\":{\"daily\":\"02:30-05:00\"}}]",
    "America/New_York", "2026-03-08 06:00Z", "2026-03-08 07:00Z" },
  /* A window that opens inside the repeated hour: 01:30-05:00 on 1
   * November. At 01:10 EST (after the change, 06:10 UTC) the first 01:30
   * (05:30 UTC) has passed; the next is 01:30 EST, 06:30 UTC. */
  { "[{\"country\":\"*\",\"windows\":{\"daily\":\"01:30-05:00\"}}]",
    "America/New_York", "2026-11-01 06:10Z", "2026-11-01 06:30Z" },
  { "[{\"country\":\"*\",\"windows\":{\"daily\":\"01:30-05:00\"}}]",
    "America/New_York", "2026-11-01 05:10Z", "2026-11-01 05:30Z" },
  /* A window wholly inside the skipped hour is no window that day. */
  { "[{\"country\":\"*\",\"windows\":{\"daily\":\"02:10-02:40\"}}]",
    "America/New_York", "2026-03-08 06:00Z", "2026-03-09 06:10Z" },
};

static void
test_dst (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (dst_cases); i++)
    {
      const DstCase *c = &dst_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(TcQuietHours) qh = tc_quiet_hours_new_from_json (c->rules ? c->rules
                                                                           : PLAIN_RULES,
                                                                 &error);
      const TcQuietHoursRule *rule;
      const char *zones[] = { c->zone, NULL };
      gint64 now = at (NULL, c->now);
      gint64 next = -1;
      g_autofree char *got = NULL;

      g_assert_no_error (error);
      rule = tc_quiet_hours_lookup (qh, NULL, NULL);
      g_assert_false (tc_quiet_hours_allows (qh, rule, zones, now, &next));
      got = format_in (c->zone, next);
      g_test_message ("%s at %s → %s", c->zone, c->now, got);
      g_assert_cmpint (next, ==, at (NULL, c->until));
      assert_earliest (qh, rule, zones, now, next);
    }
}

/* Several candidate zones: until must be legal in all of them. */
typedef struct
{
  const char *zones;         /* space-separated; NULL = every zone of the country */
  const char *country;
  const char *subdivision;
  const char *now;           /* UTC */
  const char *until;         /* UTC; NULL = send; "?" = only checked to be the earliest */
  const char *zone;          /* the zone that held it back */
} MultiCase;

static const MultiCase multi_cases[] = {
  /* 07:30 CDT is 08:30 EDT: Chicago holds it until 08:00 CDT. */
  { "America/Chicago America/New_York", "US", NULL, "2026-06-10 12:30Z", "2026-06-10 13:00Z",
    "America/Chicago" },
  /* 19:30 CDT / 20:30 EDT: both open. */
  { "America/Chicago America/New_York", "US", NULL, "2026-06-11 00:30Z", NULL, NULL },
  /* 20:30 CDT / 21:30 EDT: New York is closed until 08:00 EDT, which is
   * 07:00 in Chicago, so 08:00 CDT. */
  { "America/Chicago America/New_York", "US", NULL, "2026-06-11 01:30Z", "2026-06-11 13:00Z",
    "America/Chicago" },
  /* Florida's 20:00 across its two zones. */
  { "America/Chicago America/New_York", "US", "FL", "2026-06-11 00:30Z", "2026-06-11 13:00Z",
    "America/Chicago" },
  { "America/Chicago America/New_York", "US", "FL", "2026-06-10 23:59Z", NULL, NULL },
  /* Honolulu and New York overlap from 18:00 to 01:00 UTC in June. */
  { "America/New_York Pacific/Honolulu", "US", NULL, "2026-06-10 12:00Z", "2026-06-10 18:00Z",
    "Pacific/Honolulu" },
  { "America/New_York Pacific/Honolulu", "US", NULL, "2026-06-11 00:59Z", NULL, NULL },
  { "America/New_York Pacific/Honolulu", "US", NULL, "2026-06-11 01:00Z", "2026-06-11 18:00Z",
    "Pacific/Honolulu" },
  /* Across a DST change in one zone only: Phoenix keeps MST. On 8 March
   * 08:00 EDT is 12:00 UTC, 08:00 MST 15:00 UTC. */
  { "America/New_York America/Phoenix", "US", NULL, "2026-03-08 02:00Z", "2026-03-08 15:00Z",
    "America/Phoenix" },
  /* No zones given: every zone of the country. */
  { NULL, "US", NULL, "2026-06-10 12:00Z", "?", NULL },
  { NULL, "US", NULL, "2026-03-08 02:00Z", "?", NULL },
  { NULL, "AU", NULL, "2026-10-03 11:00Z", "?", NULL },
  { NULL, "RU", NULL, "2026-06-10 12:00Z", "?", NULL },
  { NULL, "BR", NULL, "2026-06-10 03:00Z", "?", NULL },
  /* A zone tzdata does not know counts as UTC. */
  { "Mars/Olympus_Mons", "XX", NULL, "2026-06-10 07:00Z", "2026-06-10 08:00Z",
    "Mars/Olympus_Mons" },
  /* No country either: UTC. */
  { NULL, NULL, NULL, "2026-06-10 07:00Z", "2026-06-10 08:00Z", "UTC" },
  { NULL, "XX", NULL, "2026-06-10 21:00Z", "2026-06-11 08:00Z", "UTC" },
};

static void
test_multi_zone (void)
{
  g_autoptr(TcGatePolicy) policy = tc_gate_policy_new_default ();
  const TcQuietHours *qh = tc_gate_policy_get_quiet_hours (policy);

  for (guint i = 0; i < G_N_ELEMENTS (multi_cases); i++)
    {
      const MultiCase *c = &multi_cases[i];
      g_auto(GStrv) given = c->zones != NULL ? g_strsplit (c->zones, " ", -1) : NULL;
      g_auto(GStrv) all = NULL;
      const char * const *zones;
      const TcQuietHoursRule *rule;
      TcGateRecipient r;
      TcGateMessage m;
      TcGateDecision d;
      gint64 now = at (NULL, c->now);

      base_recipient (&r, "+10000000000", c->country, (const char * const *) given);
      r.subdivision = c->subdivision;
      base_message (&m, now);
      tc_gate_decide (policy, &r, &m, &d);

      if (given != NULL)
        zones = (const char * const *) given;
      else if (c->country != NULL && strcmp (c->country, "XX") != 0)
        zones = (const char * const *) (all = tc_phone_timezones_for (c->country, NULL));
      else
        zones = (const char * const *) (all = g_strsplit ("UTC", " ", -1));
      g_assert_nonnull (zones[0]);

      g_test_message ("%s %s at %s → %s %" G_GINT64_FORMAT " %s", c->zones ? c->zones : "(all)",
                      c->country ? c->country : "(none)", c->now,
                      tc_gate_decision_kind_to_string (d.decision), d.until, d.zone);

      rule = tc_quiet_hours_lookup (qh, c->country, c->subdivision);
      if (c->until == NULL)
        {
          g_assert_cmpint (d.decision, ==, TC_GATE_SEND);
          g_assert_true (allowed_in_each (qh, rule, zones, now));
          continue;
        }

      g_assert_cmpint (d.decision, ==, TC_GATE_DEFER);
      g_assert_cmpint (d.reason, ==, TC_GATE_REASON_QUIET_HOURS);
      if (strcmp (c->until, "?") != 0)
        g_assert_cmpint (d.until, ==, at (NULL, c->until));
      if (c->zone != NULL)
        g_assert_cmpstr (d.zone, ==, c->zone);
      else
        g_assert_true (g_strv_contains (zones, d.zone));
      assert_earliest (qh, rule, zones, now, d.until);
    }
}

/* Skip reasons */

static TcSender *
sender_new (TcSenderUse  use,
            const char  *countries)
{
  TcSender *sender = tc_sender_new ("+14155550100", TC_SENDER_TYPE_LONG_CODE, use);

  if (countries != NULL)
    {
      g_strfreev (sender->countries);
      sender->countries = g_strsplit (countries, ",", -1);
    }

  return sender;
}

typedef struct
{
  TcSender *transactional;
  TcSender *promotional_us;
  TcSender *both_any;
} Senders;

typedef void (*Mutate) (TcGateRecipient *r, TcGateMessage *m, const Senders *s);

#define MUTATION(name, body) \
  static void name (TcGateRecipient *r, TcGateMessage *m, const Senders *s) \
  { (void) r; (void) m; (void) s; body }

MUTATION (m_none, )
MUTATION (m_erased, r->erased = TRUE;)
MUTATION (m_erased_invalid_optout, r->erased = TRUE; r->number_valid = FALSE;
          r->consent = TC_CONSENT_STATUS_OPTED_OUT;)
MUTATION (m_invalid, r->number_valid = FALSE;)
MUTATION (m_invalid_landline, r->number_valid = FALSE; r->line_type = TC_PHONE_TYPE_FIXED_LINE;)
MUTATION (m_landline, r->line_type = TC_PHONE_TYPE_FIXED_LINE;)
MUTATION (m_landline_optout, r->line_type = TC_PHONE_TYPE_FIXED_LINE;
          r->consent = TC_CONSENT_STATUS_OPTED_OUT;)
MUTATION (m_landline_whatsapp, r->line_type = TC_PHONE_TYPE_FIXED_LINE;
          m->channel = TC_CHANNEL_WHATSAPP; m->content = TC_GATE_CONTENT_TEMPLATE;
          m->wa_category = TC_GATE_WA_CATEGORY_UTILITY; m->template_approved = TRUE;
          m->purpose = TC_PURPOSE_TRANSACTIONAL;)
MUTATION (m_opted_out, r->consent = TC_CONSENT_STATUS_OPTED_OUT;)
MUTATION (m_opted_out_transactional, r->consent = TC_CONSENT_STATUS_OPTED_OUT;
          m->purpose = TC_PURPOSE_TRANSACTIONAL;)
MUTATION (m_no_consent, r->consent = TC_CONSENT_STATUS_NONE;)
MUTATION (m_pending, r->consent = TC_CONSENT_STATUS_PENDING;)
MUTATION (m_expired, r->consent = TC_CONSENT_STATUS_EXPIRED;)
MUTATION (m_sender_transactional, m->sender = s->transactional;)
MUTATION (m_sender_transactional_ok, m->sender = s->transactional;
          m->purpose = TC_PURPOSE_TRANSACTIONAL;)
MUTATION (m_sender_country, m->sender = s->promotional_us; r->country = "GB";
          r->phone = "+447400123456";)
MUTATION (m_sender_country_unknown, m->sender = s->promotional_us; r->country = NULL;)
MUTATION (m_sender_country_ok, m->sender = s->promotional_us;)
MUTATION (m_sender_any, m->sender = s->both_any; r->country = "GB";)
MUTATION (m_sender_both_bad, m->sender = s->transactional; r->country = "GB";)
MUTATION (m_wa_marketing_us, m->channel = TC_CHANNEL_WHATSAPP;
          m->content = TC_GATE_CONTENT_TEMPLATE; m->wa_category = TC_GATE_WA_CATEGORY_MARKETING;
          m->template_approved = TRUE;)
MUTATION (m_wa_marketing_ca, m->channel = TC_CHANNEL_WHATSAPP; r->phone = "+14165550123";
          r->country = "CA"; m->content = TC_GATE_CONTENT_TEMPLATE;
          m->wa_category = TC_GATE_WA_CATEGORY_MARKETING; m->template_approved = TRUE;)
MUTATION (m_wa_marketing_unapproved_us, m->channel = TC_CHANNEL_WHATSAPP;
          m->content = TC_GATE_CONTENT_TEMPLATE; m->wa_category = TC_GATE_WA_CATEGORY_MARKETING;)
MUTATION (m_wa_marketing_gb, m->channel = TC_CHANNEL_WHATSAPP; r->phone = "+447400123456";
          r->country = "GB"; m->content = TC_GATE_CONTENT_TEMPLATE;
          m->wa_category = TC_GATE_WA_CATEGORY_MARKETING; m->template_approved = TRUE;)
MUTATION (m_wa_text_never, m->channel = TC_CHANNEL_WHATSAPP;)
MUTATION (m_wa_utility_unapproved, m->channel = TC_CHANNEL_WHATSAPP;
          m->content = TC_GATE_CONTENT_TEMPLATE; m->wa_category = TC_GATE_WA_CATEGORY_UTILITY;
          m->purpose = TC_PURPOSE_TRANSACTIONAL;)
MUTATION (m_wa_utility_approved, m->channel = TC_CHANNEL_WHATSAPP;
          m->content = TC_GATE_CONTENT_TEMPLATE; m->wa_category = TC_GATE_WA_CATEGORY_UTILITY;
          m->template_approved = TRUE; m->purpose = TC_PURPOSE_TRANSACTIONAL;)
MUTATION (m_cap, r->recent_promotional = 1;)
MUTATION (m_cap_transactional, r->recent_promotional = 5; m->purpose = TC_PURPOSE_TRANSACTIONAL;)
MUTATION (m_cap_at_night, r->recent_promotional = 1; m->now -= 10 * 3600;)
MUTATION (m_night, m->now -= 10 * 3600;)
MUTATION (m_night_transactional, m->now -= 10 * 3600; m->purpose = TC_PURPOSE_TRANSACTIONAL;)
MUTATION (m_compliance_opted_out, r->consent = TC_CONSENT_STATUS_OPTED_OUT;
          m->content = TC_GATE_CONTENT_COMPLIANCE_REPLY; m->now -= 10 * 3600;)
MUTATION (m_compliance_everything, r->consent = TC_CONSENT_STATUS_NONE;
          r->line_type = TC_PHONE_TYPE_FIXED_LINE; r->recent_promotional = 9;
          m->sender = s->transactional; m->channel = TC_CHANNEL_WHATSAPP;
          m->content = TC_GATE_CONTENT_COMPLIANCE_REPLY; m->now -= 10 * 3600;)
MUTATION (m_compliance_erased, r->erased = TRUE; m->content = TC_GATE_CONTENT_COMPLIANCE_REPLY;)
MUTATION (m_compliance_invalid, r->number_valid = FALSE;
          m->content = TC_GATE_CONTENT_COMPLIANCE_REPLY;)

typedef struct
{
  const char         *name;
  Mutate              mutate;
  TcGateDecisionKind  decision;
  TcGateReason        reason;
} ReasonCase;

static const ReasonCase reason_cases[] = {
  { "promotional SMS, opted in, noon", m_none, TC_GATE_SEND, TC_GATE_REASON_NONE },
  { "erased", m_erased, TC_GATE_SKIP, TC_GATE_REASON_ERASED },
  { "erased comes first", m_erased_invalid_optout, TC_GATE_SKIP, TC_GATE_REASON_ERASED },
  { "invalid number", m_invalid, TC_GATE_SKIP, TC_GATE_REASON_INVALID_NUMBER },
  { "invalid before landline", m_invalid_landline, TC_GATE_SKIP,
    TC_GATE_REASON_INVALID_NUMBER },
  { "landline", m_landline, TC_GATE_SKIP, TC_GATE_REASON_LANDLINE },
  { "landline before consent", m_landline_optout, TC_GATE_SKIP, TC_GATE_REASON_LANDLINE },
  { "a landline is fine for WhatsApp", m_landline_whatsapp, TC_GATE_SEND,
    TC_GATE_REASON_NONE },
  { "opted out", m_opted_out, TC_GATE_SKIP, TC_GATE_REASON_OPTED_OUT },
  { "opted out, transactional", m_opted_out_transactional, TC_GATE_SKIP,
    TC_GATE_REASON_OPTED_OUT },
  { "no consent", m_no_consent, TC_GATE_SKIP, TC_GATE_REASON_NO_CONSENT },
  { "pending", m_pending, TC_GATE_SKIP, TC_GATE_REASON_NO_CONSENT },
  { "expired", m_expired, TC_GATE_SKIP, TC_GATE_REASON_NO_CONSENT },
  { "promotional through a transactional sender", m_sender_transactional, TC_GATE_SKIP,
    TC_GATE_REASON_SENDER_TRANSACTIONAL },
  { "transactional through a transactional sender", m_sender_transactional_ok, TC_GATE_SEND,
    TC_GATE_REASON_NONE },
  { "purpose before country", m_sender_both_bad, TC_GATE_SKIP,
    TC_GATE_REASON_SENDER_TRANSACTIONAL },
  { "US sender to a GB number", m_sender_country, TC_GATE_SKIP,
    TC_GATE_REASON_SENDER_COUNTRY },
  { "US sender, country unknown", m_sender_country_unknown, TC_GATE_SKIP,
    TC_GATE_REASON_SENDER_COUNTRY },
  { "US sender to a US number", m_sender_country_ok, TC_GATE_SEND, TC_GATE_REASON_NONE },
  { "any-country sender to GB", m_sender_any, TC_GATE_DEFER, TC_GATE_REASON_QUIET_HOURS },
  { "WhatsApp marketing to +1", m_wa_marketing_us, TC_GATE_SKIP,
    TC_GATE_REASON_WA_MARKETING_US },
  { "WhatsApp marketing to +1 in Canada", m_wa_marketing_ca, TC_GATE_SKIP,
    TC_GATE_REASON_WA_MARKETING_US },
  { "+1 marketing before approval", m_wa_marketing_unapproved_us, TC_GATE_SKIP,
    TC_GATE_REASON_WA_MARKETING_US },
  { "WhatsApp marketing to +44", m_wa_marketing_gb, TC_GATE_DEFER,
    TC_GATE_REASON_QUIET_HOURS },
  { "WhatsApp text, never wrote", m_wa_text_never, TC_GATE_SKIP,
    TC_GATE_REASON_WA_TEMPLATE_REQUIRED },
  { "WhatsApp template not approved", m_wa_utility_unapproved, TC_GATE_SKIP,
    TC_GATE_REASON_WA_TEMPLATE_NOT_APPROVED },
  { "WhatsApp template approved", m_wa_utility_approved, TC_GATE_SEND, TC_GATE_REASON_NONE },
  { "cap reached", m_cap, TC_GATE_SKIP, TC_GATE_REASON_FREQUENCY_CAP },
  { "cap before quiet hours", m_cap_at_night, TC_GATE_SKIP, TC_GATE_REASON_FREQUENCY_CAP },
  { "no cap for transactional", m_cap_transactional, TC_GATE_SEND, TC_GATE_REASON_NONE },
  { "quiet hours", m_night, TC_GATE_DEFER, TC_GATE_REASON_QUIET_HOURS },
  { "transactional at night", m_night_transactional, TC_GATE_SEND, TC_GATE_REASON_NONE },
  { "STOP confirmation to an opted-out person at night", m_compliance_opted_out, TC_GATE_SEND,
    TC_GATE_REASON_NONE },
  { "compliance reply passes every other check", m_compliance_everything, TC_GATE_SEND,
    TC_GATE_REASON_NONE },
  { "compliance reply, erased", m_compliance_erased, TC_GATE_SKIP, TC_GATE_REASON_ERASED },
  { "compliance reply, invalid", m_compliance_invalid, TC_GATE_SKIP,
    TC_GATE_REASON_INVALID_NUMBER },
};

static void
test_reasons (void)
{
  g_autoptr(TcGatePolicy) policy = tc_gate_policy_new_default ();
  g_autoptr(TcSender) transactional = sender_new (TC_SENDER_USE_TRANSACTIONAL, NULL);
  g_autoptr(TcSender) promotional_us = sender_new (TC_SENDER_USE_PROMOTIONAL, "US");
  g_autoptr(TcSender) both_any = sender_new (TC_SENDER_USE_BOTH, NULL);
  Senders senders = { transactional, promotional_us, both_any };
  static const char * const ny[] = { "America/New_York", NULL };
  gboolean seen[TC_GATE_REASON_QUIET_HOURS + 1] = { FALSE, };

  for (guint i = 0; i < G_N_ELEMENTS (reason_cases); i++)
    {
      const ReasonCase *c = &reason_cases[i];
      TcGateRecipient r;
      TcGateMessage m;
      TcGateDecision d;

      /* Noon in New York on a Wednesday (02:00 after the night
       * mutations). Recipients moved to GB are put in London at 23:00,
       * inside its quiet hours, so that passing the earlier checks shows
       * as a defer. */
      base_recipient (&r, "+12125550100", "US", ny);
      base_message (&m, at (NULL, "2026-06-10 16:00Z"));
      c->mutate (&r, &m, &senders);
      if (r.country != NULL && strcmp (r.country, "GB") == 0)
        {
          static const char * const london[] = { "Europe/London", NULL };

          r.timezones = london;
          m.now = at (NULL, "2026-06-10 22:00Z");
        }
      tc_gate_decide (policy, &r, &m, &d);

      g_test_message ("%s → %s %s", c->name, tc_gate_decision_kind_to_string (d.decision),
                      tc_gate_reason_to_string (d.reason));
      g_assert_cmpint (d.decision, ==, c->decision);
      g_assert_cmpint (d.reason, ==, c->reason);
      if (d.decision != TC_GATE_DEFER)
        g_assert_cmpint (d.until, ==, 0);
      seen[d.reason] = TRUE;
    }

  /* Every reason was produced at least once. */
  for (guint i = 0; i < G_N_ELEMENTS (seen); i++)
    {
      g_test_message ("reason %u", i);
      g_assert_true (seen[i]);
    }
}

static void
test_reason_names (void)
{
  static const char * const codes[] = {
    NULL, "erased", "invalid_number", "landline", "opted_out", "no_consent",
    "sender_transactional", "sender_country", "wa_marketing_us", "wa_template_required",
    "wa_template_not_approved", "frequency_cap", "quiet_hours",
  };

  g_assert_cmpuint (G_N_ELEMENTS (codes), ==, TC_GATE_REASON_QUIET_HOURS + 1);
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_assert_cmpstr (tc_gate_reason_to_string (i), ==, codes[i]);
      if (codes[i] == NULL)
        g_assert_null (tc_gate_reason_describe (i));
      else
        g_assert_cmpuint (strlen (tc_gate_reason_describe (i)), >, 15);
    }
  g_assert_cmpstr (tc_gate_reason_describe (TC_GATE_REASON_OPTED_OUT), ==,
                   "Opted out of this channel and purpose");
  g_assert_cmpstr (tc_gate_decision_kind_to_string (TC_GATE_SEND), ==, "send");
  g_assert_cmpstr (tc_gate_decision_kind_to_string (TC_GATE_DEFER), ==, "defer");
  g_assert_cmpstr (tc_gate_decision_kind_to_string (TC_GATE_SKIP), ==, "skip");
}

/* The WhatsApp customer-service window: free-form text until exactly 24 h
 * after the person's last message. */
static void
test_wa_window (void)
{
  g_autoptr(TcGatePolicy) policy = tc_gate_policy_new_default ();
  static const char * const ny[] = { "America/New_York", NULL };
  gint64 now = at (NULL, "2026-06-10 16:00Z");
  static const struct
  {
    gint64              ago;      /* now - last_inbound_at; -1 = never */
    TcPurpose           purpose;
    TcGateDecisionKind  decision;
  } cases[] = {
    { 0, TC_PURPOSE_TRANSACTIONAL, TC_GATE_SEND },
    { 60, TC_PURPOSE_TRANSACTIONAL, TC_GATE_SEND },
    { TC_GATE_WA_WINDOW_SECONDS - 1, TC_PURPOSE_TRANSACTIONAL, TC_GATE_SEND },
    { TC_GATE_WA_WINDOW_SECONDS, TC_PURPOSE_TRANSACTIONAL, TC_GATE_SKIP },
    { TC_GATE_WA_WINDOW_SECONDS + 1, TC_PURPOSE_TRANSACTIONAL, TC_GATE_SKIP },
    { 30 * 24 * 3600, TC_PURPOSE_TRANSACTIONAL, TC_GATE_SKIP },
    { -1, TC_PURPOSE_TRANSACTIONAL, TC_GATE_SKIP },
    { TC_GATE_WA_WINDOW_SECONDS - 1, TC_PURPOSE_PROMOTIONAL, TC_GATE_SEND },
    { TC_GATE_WA_WINDOW_SECONDS, TC_PURPOSE_PROMOTIONAL, TC_GATE_SKIP },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TcGateRecipient r;
      TcGateMessage m;
      TcGateDecision d;

      base_recipient (&r, "+12125550100", "US", ny);
      r.last_inbound_at = cases[i].ago < 0 ? 0 : now - cases[i].ago;
      base_message (&m, now);
      m.channel = TC_CHANNEL_WHATSAPP;
      m.purpose = cases[i].purpose;
      tc_gate_decide (policy, &r, &m, &d);
      g_test_message ("last message %" G_GINT64_FORMAT " s ago → %s", cases[i].ago,
                      tc_gate_decision_kind_to_string (d.decision));
      g_assert_cmpint (d.decision, ==, cases[i].decision);
      g_assert_cmpint (d.reason, ==, cases[i].decision == TC_GATE_SKIP
                                     ? TC_GATE_REASON_WA_TEMPLATE_REQUIRED
                                     : TC_GATE_REASON_NONE);

      /* An approved template goes out whatever the window. */
      m.content = TC_GATE_CONTENT_TEMPLATE;
      m.wa_category = TC_GATE_WA_CATEGORY_UTILITY;
      m.template_approved = TRUE;
      tc_gate_decide (policy, &r, &m, &d);
      g_assert_cmpint (d.decision, ==, TC_GATE_SEND);

      /* And SMS has no such window. */
      m.channel = TC_CHANNEL_SMS;
      m.content = TC_GATE_CONTENT_TEXT;
      tc_gate_decide (policy, &r, &m, &d);
      g_assert_cmpint (d.decision, ==, TC_GATE_SEND);
    }
}

/* Caps: count = cap - 1 sends, count = cap skips, 0 = no cap. */
static void
test_caps (void)
{
  static const struct
  {
    const char *count;    /* NULL = default */
    const char *hours;
    guint       cap;
    gint64      window;
  } policies[] = {
    { NULL, NULL, 1, 24 * 3600 },
    { "3", "48", 3, 48 * 3600 },
    { " 5 ", "1", 5, 3600 },
    { "0", NULL, 0, 24 * 3600 },
    { "", "", 1, 24 * 3600 },
  };
  static const char * const ny[] = { "America/New_York", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (policies); i++)
    {
      g_autoptr(GHashTable) settings = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(TcGatePolicy) policy = NULL;
      g_autoptr(GError) error = NULL;
      TcGateRecipient r;
      TcGateMessage m;
      TcGateDecision d;

      if (policies[i].count != NULL)
        g_hash_table_insert (settings, (gpointer) TC_SETTING_CAP_COUNT,
                             (gpointer) policies[i].count);
      if (policies[i].hours != NULL)
        g_hash_table_insert (settings, (gpointer) TC_SETTING_CAP_HOURS,
                             (gpointer) policies[i].hours);
      policy = tc_gate_policy_new_from_settings (settings, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (tc_gate_policy_get_cap_count (policy), ==, policies[i].cap);
      g_assert_cmpint (tc_gate_policy_get_cap_window (policy), ==, policies[i].window);

      base_recipient (&r, "+12125550100", "US", ny);
      base_message (&m, at (NULL, "2026-06-10 16:00Z"));

      if (policies[i].cap == 0)
        {
          r.recent_promotional = 1000;
          tc_gate_decide (policy, &r, &m, &d);
          g_assert_cmpint (d.decision, ==, TC_GATE_SEND);
          continue;
        }

      r.recent_promotional = policies[i].cap - 1;
      tc_gate_decide (policy, &r, &m, &d);
      g_assert_cmpint (d.decision, ==, TC_GATE_SEND);

      r.recent_promotional = policies[i].cap;
      tc_gate_decide (policy, &r, &m, &d);
      g_assert_cmpint (d.decision, ==, TC_GATE_SKIP);
      g_assert_cmpint (d.reason, ==, TC_GATE_REASON_FREQUENCY_CAP);

      r.recent_promotional = policies[i].cap + 1;
      tc_gate_decide (policy, &r, &m, &d);
      g_assert_cmpint (d.reason, ==, TC_GATE_REASON_FREQUENCY_CAP);

      m.purpose = TC_PURPOSE_TRANSACTIONAL;
      tc_gate_decide (policy, &r, &m, &d);
      g_assert_cmpint (d.decision, ==, TC_GATE_SEND);
    }

  {
    g_autoptr(TcGatePolicy) policy = tc_gate_policy_new_default ();

    g_assert_cmpuint (tc_gate_policy_get_cap_count (policy), ==, 1);
    g_assert_cmpint (tc_gate_policy_get_cap_window (policy), ==, 24 * 3600);
    g_assert_cmpuint (tc_quiet_hours_get_n_rules (tc_gate_policy_get_quiet_hours (policy)), >,
                      10);
  }
}

static void
test_settings_errors (void)
{
  static const struct
  {
    const char *key;
    const char *value;
    const char *message;
  } cases[] = {
    { TC_SETTING_CAP_COUNT, "abc", "caps.promotional.count is “abc”" },
    { TC_SETTING_CAP_COUNT, "-1", "caps.promotional.count is “-1”" },
    { TC_SETTING_CAP_COUNT, "1.5", "caps.promotional.count is “1.5”" },
    { TC_SETTING_CAP_COUNT, "100000", "caps.promotional.count is “100000”" },
    { TC_SETTING_CAP_HOURS, "0", "caps.promotional.hours is “0”" },
    { TC_SETTING_CAP_HOURS, "a day", "caps.promotional.hours is “a day”" },
    { TC_SETTING_QUIET_HOURS_RULES, "[", "quiet_hours.rules" },
    { TC_SETTING_QUIET_HOURS_RULES,
      "[{\"country\":\"*\",\"windows\":{\"daily\":\"08:00-31:00\"}}]", "“08:00-31:00”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GHashTable) settings = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GError) error = NULL;
      g_autoptr(TcGatePolicy) policy = NULL;

      g_hash_table_insert (settings, (gpointer) cases[i].key, (gpointer) cases[i].value);
      policy = tc_gate_policy_new_from_settings (settings, &error);
      g_test_message ("%s = %s → %s", cases[i].key, cases[i].value,
                      error ? error->message : "(no error)");
      g_assert_null (policy);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_assert_nonnull (strstr (error->message, cases[i].message));
      g_assert_nonnull (strstr (error->message, cases[i].key));
    }

  /* No settings at all, an empty rule setting, and a valid table. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TcGatePolicy) none = tc_gate_policy_new_from_settings (NULL, &error);
    g_autoptr(GHashTable) settings = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr(TcGatePolicy) empty = NULL;
    g_autoptr(TcGatePolicy) plain = NULL;

    g_assert_no_error (error);
    g_assert_nonnull (none);
    g_hash_table_insert (settings, (gpointer) TC_SETTING_QUIET_HOURS_RULES, (gpointer) "  ");
    empty = tc_gate_policy_new_from_settings (settings, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (tc_quiet_hours_get_n_rules (tc_gate_policy_get_quiet_hours (empty)), ==,
                      tc_quiet_hours_get_n_rules (tc_gate_policy_get_quiet_hours (none)));
    g_hash_table_insert (settings, (gpointer) TC_SETTING_QUIET_HOURS_RULES,
                         (gpointer) PLAIN_RULES);
    plain = tc_gate_policy_new_from_settings (settings, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (tc_quiet_hours_get_n_rules (tc_gate_policy_get_quiet_hours (plain)), ==, 1);
  }
}

static void
test_decision_json (void)
{
  static const struct
  {
    TcGateDecisionKind  kind;
    TcGateReason        reason;
    const char         *until;     /* UTC */
    const char         *zone;
    const char         *json;
  } cases[] = {
    { TC_GATE_SEND, TC_GATE_REASON_NONE, NULL, "",
      "{\"decision\":\"send\",\"until\":null,\"reason\":null,\"reason_code\":null,"
      "\"zone\":null}" },
    { TC_GATE_SKIP, TC_GATE_REASON_OPTED_OUT, NULL, "",
      "{\"decision\":\"skip\",\"until\":null,\"reason\":\"Opted out of this channel and "
      "purpose\",\"reason_code\":\"opted_out\",\"zone\":null}" },
    { TC_GATE_DEFER, TC_GATE_REASON_QUIET_HOURS, "2026-03-08 12:00Z", "America/New_York",
      "{\"decision\":\"defer\",\"until\":\"2026-03-08T12:00:00Z\",\"reason\":\"Quiet hours in "
      "the recipient's time zone\",\"reason_code\":\"quiet_hours\","
      "\"zone\":\"America/New_York\"}" },
    { TC_GATE_DEFER, TC_GATE_REASON_QUIET_HOURS, NULL, "Pacific/Honolulu",
      "{\"decision\":\"defer\",\"until\":null,\"reason\":\"Quiet hours in "
      "the recipient's time zone\",\"reason_code\":\"quiet_hours\","
      "\"zone\":\"Pacific/Honolulu\"}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TcGateDecision d = { cases[i].kind, cases[i].reason, 0, "" };
      g_autofree char *json = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      if (cases[i].until != NULL)
        d.until = at (NULL, cases[i].until);
      g_strlcpy (d.zone, cases[i].zone, sizeof d.zone);
      json = tc_gate_decision_to_json (&d);
      g_assert_cmpstr (json, ==, cases[i].json);
      g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
      g_assert_no_error (error);
    }

  /* From a real decision. */
  {
    g_autoptr(TcGatePolicy) policy = tc_gate_policy_new_default ();
    static const char * const zones[] = { "Europe/Paris", NULL };
    TcGateRecipient r;
    TcGateMessage m;
    TcGateDecision d;
    g_autofree char *json = NULL;

    base_recipient (&r, "+33612345678", "FR", zones);
    base_message (&m, at ("Europe/Paris", "2026-06-13 20:00"));
    tc_gate_decide (policy, &r, &m, &d);
    json = tc_gate_decision_to_json (&d);
    g_assert_nonnull (strstr (json, "\"until\":\"2026-06-15T06:00:00Z\""));
  }
}

/* The property test */

typedef struct
{
  const char *country;
  const char *subdivision;
  const char *zones;      /* NULL = the country's */
} Place;

static const Place places[] = {
  { "US", NULL, "America/New_York" },
  { "US", "FL", "America/Chicago America/New_York" },
  { "US", "TX", "America/Chicago America/Denver" },
  { "US", "CA", "America/Los_Angeles" },
  { "US", "AZ", "America/Denver America/Phoenix" },
  { "US", "HI", "Pacific/Honolulu" },
  { "US", NULL, NULL },
  { "US", "RI", "America/New_York" },
  { "CA", "ON", "America/Atikokan America/Toronto America/Winnipeg" },
  { "CA", "NL", "America/St_Johns" },
  { "FR", NULL, "Europe/Paris" },
  { "DE", NULL, NULL },
  { "GB", NULL, "Europe/London" },
  { "AU", NULL, "Australia/Sydney" },
  { "AU", NULL, "Australia/Adelaide Australia/Broken_Hill Australia/Darwin Australia/Eucla "
                "Australia/Perth" },
  { "AU", NULL, NULL },
  { "NZ", NULL, "Pacific/Auckland Pacific/Chatham" },
  { "IN", NULL, "Asia/Kolkata" },
  { "NP", NULL, "Asia/Kathmandu" },
  { "BR", NULL, NULL },
  { "RU", NULL, NULL },
  { "ZA", NULL, "Africa/Johannesburg" },
  { "ES", NULL, "Atlantic/Canary Europe/Madrid" },
  { "XX", NULL, NULL },
};

/* Instants near the 2026 clock changes, and anywhere in the year. */
static gint64
random_time (GRand *rand)
{
  static const char * const changes[] = {
    "2026-03-08 07:00Z", "2026-11-01 06:00Z", "2026-03-29 01:00Z", "2026-10-25 01:00Z",
    "2026-04-04 16:00Z", "2026-10-03 16:00Z", "2026-04-04 13:45Z", "2026-09-26 14:00Z",
  };

  if (g_rand_boolean (rand))
    {
      gint64 base = at (NULL, changes[g_rand_int_range (rand, 0, G_N_ELEMENTS (changes))]);

      return base + g_rand_int_range (rand, -2 * 24 * 3600, 2 * 24 * 3600);
    }

  return at (NULL, "2026-01-01 00:00Z") + g_rand_int_range (rand, 0, 365 * 24 * 3600);
}

static void
test_property (void)
{
  g_autoptr(TcGatePolicy) policy = tc_gate_policy_new_default ();
  const TcQuietHours *qh = tc_gate_policy_get_quiet_hours (policy);
  g_autoptr(TcSender) any = sender_new (TC_SENDER_USE_BOTH, NULL);
  g_autoptr(TcSender) transactional = sender_new (TC_SENDER_USE_TRANSACTIONAL, NULL);
  g_autoptr(GPtrArray) zone_lists = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  GRand *rand = g_rand_new_with_seed (20261124);
  guint n_cases = g_test_slow () ? 50000 : 6000;
  guint counts[3] = { 0, };
  guint checked = 0;

  for (guint i = 0; i < G_N_ELEMENTS (places); i++)
    {
      const char *zones = places[i].zones;
      g_auto(GStrv) country = NULL;

      if (zones != NULL)
        g_ptr_array_add (zone_lists, g_strsplit (zones, " ", -1));
      else if (strcmp (places[i].country, "XX") == 0)
        g_ptr_array_add (zone_lists, g_strsplit ("UTC", " ", -1));
      else
        g_ptr_array_add (zone_lists, tc_phone_timezones_for (places[i].country, NULL));
    }

  for (guint i = 0; i < n_cases; i++)
    {
      guint p = g_rand_int_range (rand, 0, G_N_ELEMENTS (places));
      const Place *place = &places[p];
      const char * const *zones = g_ptr_array_index (zone_lists, p);
      TcGateRecipient r;
      TcGateMessage m;
      TcGateDecision d;
      gint64 now = random_time (rand);

      base_recipient (&r, strcmp (place->country, "US") == 0 || strcmp (place->country, "CA") == 0
                          ? "+12125550100" : "+33612345678",
                      place->country, place->zones != NULL ? zones : NULL);
      r.subdivision = place->subdivision;
      r.consent = g_rand_int_range (rand, TC_CONSENT_STATUS_NONE, TC_CONSENT_STATUS_EXPIRED + 1);
      /* Most recipients are opted in, so that the later checks run. */
      if (g_rand_int_range (rand, 0, 3) != 0)
        r.consent = g_rand_boolean (rand) ? TC_CONSENT_STATUS_OPTED_IN
                                          : TC_CONSENT_STATUS_OPTED_OUT;
      r.erased = g_rand_int_range (rand, 0, 50) == 0;
      r.number_valid = g_rand_int_range (rand, 0, 50) != 0;
      r.line_type = g_rand_int_range (rand, 0, 10) == 0 ? TC_PHONE_TYPE_FIXED_LINE
                                                         : TC_PHONE_TYPE_MOBILE;
      r.recent_promotional = g_rand_int_range (rand, 0, 10) == 0 ? 1 : 0;
      r.last_inbound_at = g_rand_boolean (rand) ? now - g_rand_int_range (rand, 0, 48 * 3600) : 0;

      base_message (&m, now);
      m.channel = g_rand_boolean (rand) ? TC_CHANNEL_SMS : TC_CHANNEL_WHATSAPP;
      m.purpose = g_rand_int_range (rand, 0, 4) == 0 ? TC_PURPOSE_TRANSACTIONAL
                                                     : TC_PURPOSE_PROMOTIONAL;
      m.content = g_rand_int_range (rand, TC_GATE_CONTENT_TEXT,
                                    TC_GATE_CONTENT_COMPLIANCE_REPLY + 1);
      m.wa_category = g_rand_int_range (rand, TC_GATE_WA_CATEGORY_NONE,
                                        TC_GATE_WA_CATEGORY_AUTHENTICATION + 1);
      m.template_approved = g_rand_int_range (rand, 0, 5) != 0;
      switch (g_rand_int_range (rand, 0, 4))
        {
        case 0:
          m.sender = any;
          break;
        case 1:
          m.sender = transactional;
          break;
        default:
          break;
        }

      tc_gate_decide (policy, &r, &m, &d);
      counts[d.decision]++;

      /* Once opted out, nothing but a compliance reply is ever sent. */
      if (r.consent == TC_CONSENT_STATUS_OPTED_OUT && m.content != TC_GATE_CONTENT_COMPLIANCE_REPLY)
        g_assert_cmpint (d.decision, !=, TC_GATE_SEND);
      if (r.consent != TC_CONSENT_STATUS_OPTED_IN && m.content != TC_GATE_CONTENT_COMPLIANCE_REPLY)
        g_assert_cmpint (d.decision, ==, TC_GATE_SKIP);
      /* Transactional messages and compliance replies are never deferred. */
      if (m.purpose == TC_PURPOSE_TRANSACTIONAL || m.content == TC_GATE_CONTENT_COMPLIANCE_REPLY)
        g_assert_cmpint (d.decision, !=, TC_GATE_DEFER);

      if (d.decision == TC_GATE_DEFER)
        {
          const TcQuietHoursRule *rule = tc_quiet_hours_lookup (qh, r.country, r.subdivision);

          g_assert_cmpint (d.reason, ==, TC_GATE_REASON_QUIET_HOURS);
          g_assert_true (g_strv_contains (zones, d.zone));
          g_assert_cmpint (d.until, >, now);
          g_assert_true (tc_quiet_hours_allows (qh, rule, zones, d.until, NULL));
          g_assert_true (allowed_in_each (qh, rule, zones, d.until));
          /* The minute-by-minute search is slow for far-away times: one
           * case in ten. */
          if (i % 10 == 0)
            {
              assert_earliest (qh, rule, zones, now, d.until);
              checked++;
            }
        }
      else if (d.decision == TC_GATE_SEND && m.purpose == TC_PURPOSE_PROMOTIONAL &&
               m.content != TC_GATE_CONTENT_COMPLIANCE_REPLY)
        {
          const TcQuietHoursRule *rule = tc_quiet_hours_lookup (qh, r.country, r.subdivision);

          g_assert_true (allowed_in_each (qh, rule, zones, now));
        }
    }

  g_test_message ("send %u, defer %u (%u checked minute by minute), skip %u",
                  counts[TC_GATE_SEND], counts[TC_GATE_DEFER], checked, counts[TC_GATE_SKIP]);
  g_assert_cmpuint (counts[TC_GATE_SEND], >, n_cases / 20);
  g_assert_cmpuint (counts[TC_GATE_DEFER], >, n_cases / 50);
  g_assert_cmpuint (checked, >, 10);

  g_rand_free (rand);
}

/* One policy shared by several threads gives the same answers as one
 * thread (the zone caches fill up under the threads' feet). */
typedef struct
{
  const TcGatePolicy *policy;
  guint               seed;
  guint64             sum;
} ThreadData;

static gpointer
decide_many (gpointer data)
{
  ThreadData *t = data;
  static const char *countries[] = { "US", "CA", "AU", "BR", "RU", "MX", "FR", "IN" };
  GRand *rand = g_rand_new_with_seed (t->seed);

  for (guint i = 0; i < 4000; i++)
    {
      TcGateRecipient r;
      TcGateMessage m;
      TcGateDecision d;

      base_recipient (&r, "+33612345678", countries[g_rand_int_range (rand, 0, 8)], NULL);
      base_message (&m, at (NULL, "2026-03-01 00:00Z") + g_rand_int_range (rand, 0, 60 * 86400));
      tc_gate_decide (t->policy, &r, &m, &d);
      t->sum = t->sum * 31 + (guint64) d.decision * 7 + (guint64) d.until;
    }
  g_rand_free (rand);

  return NULL;
}

static void
test_threads (void)
{
  g_autoptr(TcGatePolicy) shared = tc_gate_policy_new_default ();
  ThreadData data[4];
  GThread *threads[4];

  for (guint i = 0; i < 4; i++)
    {
      data[i] = (ThreadData) { shared, 1 + i % 2, 0 };
      threads[i] = g_thread_new ("gate", decide_many, &data[i]);
    }
  for (guint i = 0; i < 4; i++)
    g_thread_join (threads[i]);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(TcGatePolicy) alone = tc_gate_policy_new_default ();
      ThreadData single = { alone, 1 + i, 0 };

      decide_many (&single);
      g_assert_cmpuint (single.sum, ==, data[i].sum);
      g_assert_cmpuint (single.sum, ==, data[i + 2].sum);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tc/quiet-hours/default-table", test_default_table);
  g_test_add_func ("/tc/quiet-hours/json/round-trip", test_json_round_trip);
  g_test_add_func ("/tc/quiet-hours/json/errors", test_json_errors);
  g_test_add_func ("/tc/quiet-hours/dst", test_dst);
  g_test_add_func ("/tc/gate/boundaries", test_boundaries);
  g_test_add_func ("/tc/gate/multi-zone", test_multi_zone);
  g_test_add_func ("/tc/gate/reasons", test_reasons);
  g_test_add_func ("/tc/gate/reason-names", test_reason_names);
  g_test_add_func ("/tc/gate/wa-window", test_wa_window);
  g_test_add_func ("/tc/gate/caps", test_caps);
  g_test_add_func ("/tc/gate/settings-errors", test_settings_errors);
  g_test_add_func ("/tc/gate/json", test_decision_json);
  g_test_add_func ("/tc/gate/property", test_property);
  g_test_add_func ("/tc/gate/threads", test_threads);

  return g_test_run ();
}
