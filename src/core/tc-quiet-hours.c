/* tc-quiet-hours.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The quiet-hour rule table and the question "may a promotional message go
 * out at this instant in every one of these time zones, and if not, when
 * is the first instant it may?".
 *
 * Time zones: each zone name is turned into a GTimeZone once and kept in a
 * cache inside the TcQuietHours. The cache is filled lazily, because the
 * zones a workspace meets are a small subset of tzdata's and loading them
 * all up front would cost tens of milliseconds for nothing. It is guarded
 * by a GRWLock: lookups take the reader side (no allocation, many threads
 * at once), and only the first sight of a zone takes the writer side to
 * load it. That is what makes a built TcQuietHours safe to share between
 * threads, as the header promises.
 *
 * The check itself is integer arithmetic: the UTC offset at the instant
 * comes from g_time_zone_find_interval() and g_time_zone_get_offset(), the
 * local day and minute follow by division, and the weekday from the day
 * number (1970-01-01 was a Thursday). Only a "not allowed" answer goes on
 * to look for the next allowed instant.
 */

#define G_LOG_DOMAIN "tc-quiet-hours"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tc-quiet-hours.h"

#define SECONDS_PER_DAY   (24 * 60 * 60)
#define MINUTES_PER_DAY   (24 * 60)
/* How far ahead tc_quiet_hours_allows() looks for a common window. */
#define SEARCH_HORIZON    (14 * SECONDS_PER_DAY)

struct _TcQuietHours
{
  TcQuietHoursRule *rules;
  guint             n_rules;

  GRWLock           zones_lock;
  /* Zone name (owned) → GTimeZone (owned). Unknown names map to UTC. */
  GHashTable       *zones;
};

static const char * const day_names[7] = {
  "mon", "tue", "wed", "thu", "fri", "sat", "sun",
};

/* The built-in table. Minutes after midnight; HM (8, 0) is 08:00. */
#define HM(h, m) ((h) * 60 + (m))
#define WIN(s, e) { (s), (e) }
#define CLOSED WIN (0, 0)
#define EVERY_DAY(s, e) { WIN (s, e), WIN (s, e), WIN (s, e), WIN (s, e), WIN (s, e), \
                          WIN (s, e), WIN (s, e) }
#define WEEKDAYS_SAT_SUN(wd, sat, sun) { wd, wd, wd, wd, wd, sat, sun }

typedef struct
{
  const char *country;
  const char *subdivision;
  guint16     days[7][2];
  const char *note;
} BuiltinRule;

/* Conservative on purpose: where a law sets hours for telephone
 * solicitation, it is applied to marketing texts too (several US state laws
 * say so explicitly, and courts have read the TCPA's "call" to include
 * texts); where the law leaves a doubt, the stricter window is taken.
 * State holidays that some laws also exclude (Alabama, Louisiana, Rhode
 * Island, …) are not modelled: there is no holiday calendar here. */
static const BuiltinRule builtin_rules[] = {
  { "*", "", EVERY_DAY (HM (8, 0), HM (21, 0)),
    "Default: 08:00-21:00 local time, the window most telemarketing laws allow" },

  /* United States. */
  { "US", "", EVERY_DAY (HM (8, 0), HM (21, 0)),
    "TCPA, 47 CFR 64.1200(c)(1): no solicitation before 8 a.m. or after 9 p.m. local time" },
  { "US", "AL", WEEKDAYS_SAT_SUN (WIN (HM (8, 0), HM (20, 0)), WIN (HM (8, 0), HM (20, 0)),
                                  CLOSED),
    "Alabama Telemarketing Act (Ala. Code 8-19A): 8 a.m.-8 p.m., not on Sundays or state holidays" },
  { "US", "CT", EVERY_DAY (HM (9, 0), HM (20, 0)),
    "Connecticut Public Act 23-98 (Conn. Gen. Stat. 42-288a): 9 a.m.-8 p.m." },
  { "US", "FL", EVERY_DAY (HM (8, 0), HM (20, 0)),
    "Florida Telephone Solicitation Act (Fla. Stat. 501.059): 8 a.m.-8 p.m." },
  { "US", "KS", EVERY_DAY (HM (9, 0), HM (21, 0)),
    "Kansas (K.S.A. 50-670): 9 a.m.-9 p.m.; conservative reading" },
  { "US", "KY", EVERY_DAY (HM (10, 0), HM (21, 0)),
    "Kentucky (KRS 367.46955): 10 a.m.-9 p.m.; conservative reading" },
  { "US", "LA", WEEKDAYS_SAT_SUN (WIN (HM (8, 0), HM (20, 0)), WIN (HM (8, 0), HM (20, 0)),
                                  CLOSED),
    "Louisiana Telephone Solicitation Relief Act (La. R.S. 45:844.17): 8 a.m.-8 p.m., "
    "not on Sundays or state holidays" },
  { "US", "MA", EVERY_DAY (HM (8, 0), HM (20, 0)),
    "Massachusetts (M.G.L. c. 159C, 201 CMR 12.00): 8 a.m.-8 p.m." },
  { "US", "MD", EVERY_DAY (HM (8, 0), HM (20, 0)),
    "Maryland Stop the Spam Calls Act of 2023 (Md. Com. Law 14-4501): 8 a.m.-8 p.m." },
  { "US", "MN", EVERY_DAY (HM (9, 0), HM (21, 0)),
    "Minnesota (Minn. Stat. 325E.27): 9 a.m.-9 p.m.; conservative reading" },
  { "US", "MS", WEEKDAYS_SAT_SUN (WIN (HM (8, 0), HM (20, 0)), WIN (HM (8, 0), HM (20, 0)),
                                  CLOSED),
    "Mississippi (Miss. Code 77-3-725): 8 a.m.-8 p.m., not on Sundays" },
  { "US", "OK", EVERY_DAY (HM (8, 0), HM (20, 0)),
    "Oklahoma Telephone Solicitation Act of 2022 (15 O.S. 775C.4): 8 a.m.-8 p.m." },
  { "US", "RI", WEEKDAYS_SAT_SUN (WIN (HM (9, 0), HM (18, 0)), WIN (HM (10, 0), HM (17, 0)),
                                  CLOSED),
    "Rhode Island (R.I. Gen. Laws 5-61-3.4): weekdays 9 a.m.-6 p.m., Saturdays 10 a.m.-5 p.m., "
    "not on Sundays or holidays" },
  { "US", "TX", WEEKDAYS_SAT_SUN (WIN (HM (9, 0), HM (21, 0)), WIN (HM (9, 0), HM (21, 0)),
                                  WIN (HM (12, 0), HM (21, 0))),
    "Texas Business & Commerce Code 301.051: 9 a.m.-9 p.m. Monday-Saturday, "
    "noon-9 p.m. on Sundays" },
  { "US", "WA", EVERY_DAY (HM (8, 0), HM (20, 0)),
    "Washington (RCW 80.36.390): 8 a.m.-8 p.m." },

  /* Other countries. */
  { "AU", "", WEEKDAYS_SAT_SUN (WIN (HM (9, 0), HM (20, 0)), WIN (HM (9, 0), HM (17, 0)),
                                CLOSED),
    "Telemarketing and Research Industry Standard 2017 hours (weekdays 9 a.m.-8 p.m., "
    "Saturdays 9 a.m.-5 p.m., not on Sundays or public holidays), applied to texts; "
    "the Spam Act 2003 itself sets none" },
  { "CA", "", WEEKDAYS_SAT_SUN (WIN (HM (9, 0), HM (21, 30)), WIN (HM (10, 0), HM (18, 0)),
                                WIN (HM (10, 0), HM (18, 0))),
    "CRTC Unsolicited Telecommunications Rules: weekdays 9 a.m.-9:30 p.m., "
    "weekends 10 a.m.-6 p.m." },
  { "DE", "", WEEKDAYS_SAT_SUN (WIN (HM (8, 0), HM (20, 0)), WIN (HM (8, 0), HM (20, 0)),
                                CLOSED),
    "No statutory hours (UWG 7 requires consent); conservative: Monday-Saturday 8 a.m.-8 p.m., "
    "no messages on the Sunday rest day" },
  { "ES", "", WEEKDAYS_SAT_SUN (WIN (HM (9, 0), HM (21, 0)), CLOSED, CLOSED),
    "General Law for the Defence of Consumers (RDL 1/2007, art. 96 as amended by Law 11/2022): "
    "commercial calls 9 a.m.-9 p.m. on working days, not at weekends or on holidays; "
    "applied to texts" },
  { "FR", "", WEEKDAYS_SAT_SUN (WIN (HM (8, 0), HM (20, 0)), WIN (HM (8, 0), HM (20, 0)),
                                CLOSED),
    "French operators' SMS code of conduct (AF2M) and CNIL guidance: 8 a.m.-8 p.m., "
    "not on Sundays or public holidays" },
  { "GB", "", EVERY_DAY (HM (8, 0), HM (20, 0)),
    "No fixed hours in PECR; conservative industry practice: 8 a.m.-8 p.m." },
  { "IN", "", EVERY_DAY (HM (10, 0), HM (21, 0)),
    "TRAI Telecom Commercial Communications Customer Preference Regulations 2018: "
    "promotional messages 10 a.m.-9 p.m." },
  { "ZA", "", WEEKDAYS_SAT_SUN (WIN (HM (8, 0), HM (20, 0)), WIN (HM (9, 0), HM (13, 0)),
                                CLOSED),
    "Consumer Protection Act regulations, reg. 4: weekdays 8 a.m.-8 p.m., Saturdays "
    "9 a.m.-1 p.m., not on Sundays or public holidays" },
};

/* Rules */

static void
rules_free (TcQuietHoursRule *rules,
            guint             n_rules)
{
  for (guint i = 0; i < n_rules; i++)
    g_free ((char *) rules[i].note);
  g_free (rules);
}

static TcQuietHours *
quiet_hours_new (TcQuietHoursRule *rules,
                 guint             n_rules)
{
  TcQuietHours *self = g_new0 (TcQuietHours, 1);

  self->rules = rules;
  self->n_rules = n_rules;
  g_rw_lock_init (&self->zones_lock);
  self->zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_time_zone_unref);

  return self;
}

TcQuietHours *
tc_quiet_hours_new_default (void)
{
  TcQuietHoursRule *rules = g_new0 (TcQuietHoursRule, G_N_ELEMENTS (builtin_rules));

  for (guint i = 0; i < G_N_ELEMENTS (builtin_rules); i++)
    {
      const BuiltinRule *b = &builtin_rules[i];

      g_strlcpy (rules[i].country, b->country, sizeof rules[i].country);
      g_strlcpy (rules[i].subdivision, b->subdivision, sizeof rules[i].subdivision);
      for (guint d = 0; d < 7; d++)
        {
          rules[i].days[d].start = b->days[d][0];
          rules[i].days[d].end = b->days[d][1];
        }
      rules[i].note = g_strdup (b->note);
    }

  return quiet_hours_new (rules, G_N_ELEMENTS (builtin_rules));
}

void
tc_quiet_hours_free (TcQuietHours *quiet_hours)
{
  if (quiet_hours == NULL)
    return;

  rules_free (quiet_hours->rules, quiet_hours->n_rules);
  g_hash_table_unref (quiet_hours->zones);
  g_rw_lock_clear (&quiet_hours->zones_lock);
  g_free (quiet_hours);
}

guint
tc_quiet_hours_get_n_rules (const TcQuietHours *quiet_hours)
{
  g_return_val_if_fail (quiet_hours != NULL, 0);

  return quiet_hours->n_rules;
}

const TcQuietHoursRule *
tc_quiet_hours_get_rule (const TcQuietHours *quiet_hours,
                         guint               index)
{
  g_return_val_if_fail (quiet_hours != NULL, NULL);
  g_return_val_if_fail (index < quiet_hours->n_rules, NULL);

  return &quiet_hours->rules[index];
}

/* Two-letter codes compared without regard to case, without allocating. */
static gboolean
code_equal (const char *a,
            const char *b)
{
  for (;; a++, b++)
    {
      if (g_ascii_toupper (*a) != g_ascii_toupper (*b))
        return FALSE;
      if (*a == '\0')
        return TRUE;
    }
}

const TcQuietHoursRule *
tc_quiet_hours_lookup (const TcQuietHours *quiet_hours,
                       const char         *country,
                       const char         *subdivision)
{
  const TcQuietHoursRule *by_country = NULL;
  const TcQuietHoursRule *by_default = NULL;

  g_return_val_if_fail (quiet_hours != NULL, NULL);

  if (subdivision != NULL && subdivision[0] == '\0')
    subdivision = NULL;

  for (guint i = 0; i < quiet_hours->n_rules; i++)
    {
      const TcQuietHoursRule *rule = &quiet_hours->rules[i];

      if (rule->country[0] == '*')
        {
          by_default = rule;
          continue;
        }
      if (country == NULL || !code_equal (rule->country, country))
        continue;
      if (rule->subdivision[0] == '\0')
        by_country = rule;
      else if (subdivision != NULL && code_equal (rule->subdivision, subdivision))
        return rule;
    }

  /* A table always has a "*" rule: the parser and the built-in table see
   * to it. */
  g_assert (by_default != NULL);

  return by_country != NULL ? by_country : by_default;
}

/* JSON */

static gboolean
parse_hhmm (const char *s,
            gboolean    is_end,
            guint16    *minutes)
{
  guint h, m;

  if (!g_ascii_isdigit (s[0]) || !g_ascii_isdigit (s[1]) || s[2] != ':' ||
      !g_ascii_isdigit (s[3]) || !g_ascii_isdigit (s[4]))
    return FALSE;

  h = (guint) (s[0] - '0') * 10 + (guint) (s[1] - '0');
  m = (guint) (s[3] - '0') * 10 + (guint) (s[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && (m != 0 || !is_end)))
    return FALSE;

  *minutes = (guint16) (h * 60 + m);
  return TRUE;
}

/* "08:00-20:00" → [480, 1200); "closed" or "none" → nothing. */
static gboolean
parse_window (const char *text,
              guint16    *start,
              guint16    *end)
{
  g_autofree char *s = g_strstrip (g_strdup (text));

  if (g_ascii_strcasecmp (s, "closed") == 0 || g_ascii_strcasecmp (s, "none") == 0)
    {
      *start = *end = 0;
      return TRUE;
    }

  if (strlen (s) != 11 || s[5] != '-')
    return FALSE;
  if (!parse_hhmm (s, FALSE, start) || !parse_hhmm (s + 6, TRUE, end))
    return FALSE;

  return *start < *end;
}

static int
day_index (const char *name,
           gsize       len)
{
  for (guint d = 0; d < 7; d++)
    {
      if (len == 3 && g_ascii_strncasecmp (name, day_names[d], 3) == 0)
        return (int) d;
    }

  return -1;
}

/* "mon-fri", "sat,sun", "daily": sets days[d] for each day named. Returns
 * FALSE when a name or range cannot be read. */
static gboolean
parse_days (const char *text,
            gboolean    days[7])
{
  g_auto(GStrv) groups = NULL;

  if (g_ascii_strcasecmp (text, "daily") == 0 || g_ascii_strcasecmp (text, "every day") == 0)
    {
      for (guint d = 0; d < 7; d++)
        days[d] = TRUE;
      return TRUE;
    }

  groups = g_strsplit (text, ",", -1);
  if (groups[0] == NULL)
    return FALSE;

  for (guint i = 0; groups[i] != NULL; i++)
    {
      char *group = g_strstrip (groups[i]);
      const char *dash = strchr (group, '-');
      int first, last;

      if (dash == NULL)
        {
          first = last = day_index (group, strlen (group));
        }
      else
        {
          g_autofree char *a = g_strstrip (g_strndup (group, (gsize) (dash - group)));
          g_autofree char *b = g_strstrip (g_strdup (dash + 1));

          first = day_index (a, strlen (a));
          last = day_index (b, strlen (b));
        }

      if (first < 0 || last < 0 || first > last)
        return FALSE;
      for (int d = first; d <= last; d++)
        days[d] = TRUE;
    }

  return TRUE;
}

static char *
rule_label (guint       index,
            const char *country,
            const char *subdivision)
{
  if (country == NULL)
    return g_strdup_printf ("Quiet-hour rule %u", index + 1);
  if (subdivision != NULL && subdivision[0] != '\0')
    return g_strdup_printf ("Quiet-hour rule %u (%s-%s)", index + 1, country, subdivision);
  return g_strdup_printf ("Quiet-hour rule %u (%s)", index + 1, country);
}

static gboolean
is_code (const char *s,
         gsize       min_len,
         gsize       max_len,
         gboolean    digits_too)
{
  gsize len = strlen (s);

  if (len < min_len || len > max_len)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isalpha (s[i]) && !(digits_too && g_ascii_isdigit (s[i])))
        return FALSE;
    }

  return TRUE;
}

static gboolean
parse_rule (JsonNode          *node,
            guint              index,
            TcQuietHoursRule  *rule,
            GError           **error)
{
  g_autofree char *label = NULL;
  JsonObject *object;
  JsonNode *member;
  JsonObject *windows;
  g_autoptr(GList) names = NULL;
  gboolean seen[7] = { FALSE, };
  gboolean any_open = FALSE;
  const char *country = NULL;
  const char *subdivision = "";

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      label = rule_label (index, NULL, NULL);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s is not an object: write each rule as {\"country\":…,\"windows\":{…}}",
                   label);
      return FALSE;
    }
  object = json_node_get_object (node);

  member = json_object_get_member (object, "country");
  if (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
      json_node_get_value_type (member) == G_TYPE_STRING)
    country = json_node_get_string (member);
  if (country == NULL || !(strcmp (country, "*") == 0 || is_code (country, 2, 2, FALSE)))
    {
      label = rule_label (index, NULL, NULL);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: the country “%s” is not a two-letter ISO code or \"*\" for the default",
                   label, country != NULL ? country : "(missing)");
      return FALSE;
    }
  rule->country[0] = g_ascii_toupper (country[0]);
  rule->country[1] = g_ascii_toupper (country[1]);
  rule->country[2] = '\0';

  member = json_object_get_member (object, "subdivision");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_STRING)
        subdivision = NULL;
      else
        subdivision = json_node_get_string (member);

      if (subdivision == NULL || (subdivision[0] != '\0' &&
                                  (!is_code (subdivision, 1, 3, TRUE) || rule->country[0] == '*')))
        {
          label = rule_label (index, rule->country, NULL);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s: the subdivision “%s” is not a state or province code of 1 to 3 "
                       "letters (such as \"FL\"), or the default rule \"*\" has one",
                       label, subdivision != NULL ? subdivision : "(not text)");
          return FALSE;
        }
    }
  for (guint i = 0; subdivision[i] != '\0'; i++)
    rule->subdivision[i] = g_ascii_toupper (subdivision[i]);

  label = rule_label (index, rule->country, rule->subdivision);

  member = json_object_get_member (object, "note");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_STRING)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s: the note must be text", label);
          return FALSE;
        }
      rule->note = g_strdup (json_node_get_string (member));
    }

  names = json_object_get_members (object);
  for (const GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;

      if (strcmp (name, "country") != 0 && strcmp (name, "subdivision") != 0 &&
          strcmp (name, "windows") != 0 && strcmp (name, "note") != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s: unknown field “%s” (a rule has country, subdivision, windows and note)",
                       label, name);
          return FALSE;
        }
    }

  member = json_object_get_member (object, "windows");
  if (member == NULL || !JSON_NODE_HOLDS_OBJECT (member))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s has no windows: give them as {\"mon-fri\":\"08:00-21:00\", …}", label);
      return FALSE;
    }
  windows = json_node_get_object (member);

  g_clear_pointer (&names, g_list_free);
  names = json_object_get_members (windows);
  for (const GList *l = names; l != NULL; l = l->next)
    {
      const char *days_text = l->data;
      JsonNode *value = json_object_get_member (windows, days_text);
      const char *window_text = NULL;
      gboolean days[7] = { FALSE, };
      guint16 start, end;

      if (!parse_days (days_text, days))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s: “%s” is not a day or range of days (use mon, tue, … sun, "
                       "ranges such as mon-fri, or daily)", label, days_text);
          return FALSE;
        }

      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        window_text = json_node_get_string (value);
      if (window_text == NULL || !parse_window (window_text, &start, &end))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s: “%s” for %s is not a time window; write it as HH:MM-HH:MM with "
                       "the start before the end (for example 08:00-21:00), or \"closed\"",
                       label, window_text != NULL ? window_text : "(not text)", days_text);
          return FALSE;
        }

      for (guint d = 0; d < 7; d++)
        {
          if (!days[d])
            continue;
          if (seen[d])
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "%s: %s is given more than once in its windows", label, day_names[d]);
              return FALSE;
            }
          seen[d] = TRUE;
          rule->days[d].start = start;
          rule->days[d].end = end;
          any_open = any_open || start < end;
        }
    }

  /* A day not named is closed: nothing may be sent on it. */
  if (!any_open)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s allows no time on any day; give at least one window such as "
                   "\"mon-fri\":\"09:00-20:00\"", label);
      return FALSE;
    }

  return TRUE;
}

TcQuietHours *
tc_quiet_hours_new_from_json (const char  *json,
                              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  TcQuietHoursRule *rules;
  JsonArray *array;
  JsonNode *root;
  guint n_rules;
  gboolean has_default = FALSE;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!json_parser_load_from_data (parser, json, -1, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The quiet-hour rules are not valid JSON: %s", local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The quiet-hour rules must be a JSON array of rules, "
                   "[{\"country\":\"*\",\"windows\":{\"daily\":\"08:00-21:00\"}}, …]");
      return NULL;
    }

  array = json_node_get_array (root);
  n_rules = json_array_get_length (array);
  rules = g_new0 (TcQuietHoursRule, MAX (n_rules, 1));

  for (guint i = 0; i < n_rules; i++)
    {
      if (!parse_rule (json_array_get_element (array, i), i, &rules[i], error))
        {
          rules_free (rules, n_rules);
          return NULL;
        }

      has_default = has_default || rules[i].country[0] == '*';

      for (guint j = 0; j < i; j++)
        {
          if (strcmp (rules[j].country, rules[i].country) == 0 &&
              strcmp (rules[j].subdivision, rules[i].subdivision) == 0)
            {
              g_autofree char *label = rule_label (i, rules[i].country, rules[i].subdivision);

              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "%s repeats rule %u for the same place; keep one of them",
                           label, j + 1);
              rules_free (rules, n_rules);
              return NULL;
            }
        }
    }

  if (!has_default)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The quiet-hour rules have no default rule: add one with \"country\":\"*\" "
                   "for the places no other rule names");
      rules_free (rules, n_rules);
      return NULL;
    }

  return quiet_hours_new (rules, n_rules);
}

static char *
format_window (guint16 start,
               guint16 end)
{
  return g_strdup_printf ("%02u:%02u-%02u:%02u", start / 60u, start % 60u, end / 60u, end % 60u);
}

char *
tc_quiet_hours_to_json (const TcQuietHours *quiet_hours)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (quiet_hours != NULL, NULL);

  json_builder_begin_array (builder);
  for (guint i = 0; i < quiet_hours->n_rules; i++)
    {
      const TcQuietHoursRule *rule = &quiet_hours->rules[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "country");
      json_builder_add_string_value (builder, rule->country);
      if (rule->subdivision[0] != '\0')
        {
          json_builder_set_member_name (builder, "subdivision");
          json_builder_add_string_value (builder, rule->subdivision);
        }

      /* Runs of consecutive days with the same window become one range;
       * closed days are left out (a day not named is closed). */
      json_builder_set_member_name (builder, "windows");
      json_builder_begin_object (builder);
      for (guint d = 0; d < 7;)
        {
          guint last = d;
          g_autofree char *days = NULL;
          g_autofree char *window = NULL;

          while (last + 1 < 7 &&
                 rule->days[last + 1].start == rule->days[d].start &&
                 rule->days[last + 1].end == rule->days[d].end)
            last++;

          if (rule->days[d].start < rule->days[d].end)
            {
              days = last == d ? g_strdup (day_names[d])
                               : g_strdup_printf ("%s-%s", day_names[d], day_names[last]);
              window = format_window (rule->days[d].start, rule->days[d].end);
              json_builder_set_member_name (builder, days);
              json_builder_add_string_value (builder, window);
            }
          d = last + 1;
        }
      json_builder_end_object (builder);

      if (rule->note != NULL)
        {
          json_builder_set_member_name (builder, "note");
          json_builder_add_string_value (builder, rule->note);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

/* Time zones */

static GTimeZone *
get_zone (const TcQuietHours *quiet_hours,
          const char         *name)
{
  TcQuietHours *self = (TcQuietHours *) quiet_hours;
  GTimeZone *tz;

  g_rw_lock_reader_lock (&self->zones_lock);
  tz = g_hash_table_lookup (self->zones, name);
  g_rw_lock_reader_unlock (&self->zones_lock);

  if G_LIKELY (tz != NULL)
    return tz;

  g_rw_lock_writer_lock (&self->zones_lock);
  tz = g_hash_table_lookup (self->zones, name);
  if (tz == NULL)
    {
      /* An empty name would be the machine's own zone: never wanted. */
      tz = name[0] != '\0' ? g_time_zone_new_identifier (name) : NULL;
      /* A name tzdata does not know is read as UTC: there is nothing better
       * to go on, and the caller (the gate) gives every candidate zone of
       * the number, so the known ones still hold the message back. */
      if (tz == NULL)
        {
          g_debug ("Unknown time zone “%s”: quiet hours read it as UTC", name);
          tz = g_time_zone_new_utc ();
        }
      g_hash_table_insert (self->zones, g_strdup (name), tz);
    }
  g_rw_lock_writer_unlock (&self->zones_lock);

  /* Entries are never removed while the TcQuietHours lives, so the pointer
   * stays valid after the lock is released. */
  return tz;
}

static inline gint32
offset_at (GTimeZone *tz,
           gint64     when)
{
  return g_time_zone_get_offset (tz, g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, when));
}

static inline gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;

  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Monday = 0 … Sunday = 6 for a day number counted from 1970-01-01, a
 * Thursday. */
static inline guint
weekday_of (gint64 day)
{
  gint64 w = (day + 3) % 7;

  return (guint) (w < 0 ? w + 7 : w);
}

static inline gboolean
allowed_local (const TcQuietHoursRule *rule,
               gint64                  local)
{
  gint64 day = floor_div (local, SECONDS_PER_DAY);
  guint minute = (guint) ((local - day * SECONDS_PER_DAY) / 60);
  guint weekday = weekday_of (day);

  return rule->days[weekday].start <= minute && minute < rule->days[weekday].end;
}

static inline gboolean
allowed_in_zone (const TcQuietHoursRule *rule,
                 GTimeZone              *tz,
                 gint64                  when)
{
  return allowed_local (rule, when + offset_at (tz, when));
}

/* The UTC instants whose local time in @tz is @local, earliest first: one
 * usually, two in the hour repeated when clocks go back. When @local does
 * not exist (the hour skipped when clocks go forward), the first instant
 * after the gap: g_time_zone_adjust_time() moves such a time to the start
 * of the next interval. Returns how many were stored in @out. */
static guint
local_to_utc (GTimeZone *tz,
              gint64     local,
              gint64     out[2])
{
  gint32 before = offset_at (tz, local - SECONDS_PER_DAY);
  gint32 after = offset_at (tz, local + SECONDS_PER_DAY);
  guint n = 0;

  if (offset_at (tz, local - before) == before)
    out[n++] = local - before;
  if (after != before && offset_at (tz, local - after) == after)
    out[n++] = local - after;

  if (n == 2 && out[1] < out[0])
    {
      gint64 tmp = out[0];

      out[0] = out[1];
      out[1] = tmp;
    }

  if (n == 0)
    {
      gint64 adjusted = local;
      gint interval = g_time_zone_adjust_time (tz, G_TIME_TYPE_STANDARD, &adjusted);

      out[n++] = adjusted - g_time_zone_get_offset (tz, interval);
    }

  return n;
}

/* The first instant after @when (which is not allowed in @tz) at which a
 * window of @rule opens in @tz, or at which clocks jump into one; 0 when
 * no window opens within 8 days. */
static gint64
next_window_start (const TcQuietHoursRule *rule,
                   GTimeZone              *tz,
                   gint64                  when)
{
  gint64 local = when + offset_at (tz, when);
  gint64 day = floor_div (local, SECONDS_PER_DAY);

  for (guint k = 0; k <= 8; k++)
    {
      guint weekday = weekday_of (day + k);
      guint16 start = rule->days[weekday].start;
      guint16 end = rule->days[weekday].end;
      gint64 candidates[2];
      guint n;

      if (start >= end)
        continue;

      n = local_to_utc (tz, (day + k) * SECONDS_PER_DAY + start * 60, candidates);
      for (guint i = 0; i < n; i++)
        {
          if (candidates[i] > when)
            return candidates[i];
        }
    }

  return 0;
}

gboolean
tc_quiet_hours_check (const TcQuietHours     *quiet_hours,
                      const TcQuietHoursRule *rule,
                      const char * const     *zones,
                      gint64                  when,
                      gint64                 *next,
                      const char            **zone)
{
  gint64 t = when;
  const char *binding = NULL;
  gboolean changed;

  g_return_val_if_fail (quiet_hours != NULL, FALSE);
  g_return_val_if_fail (rule != NULL, FALSE);
  g_return_val_if_fail (zones != NULL && zones[0] != NULL, FALSE);

  if (next != NULL)
    *next = 0;
  if (zone != NULL)
    *zone = NULL;

  /* The fast path: allowed everywhere now. */
  for (guint i = 0;; i++)
    {
      if (zones[i] == NULL)
        return TRUE;
      if (!allowed_in_zone (rule, get_zone (quiet_hours, zones[i]), when))
        break;
    }

  /* Every jump goes to the first instant a zone that forbids t opens
   * again, which can never pass the earliest instant allowed in all zones
   * (that instant is allowed in this zone too, and comes after t). So the
   * first t allowed everywhere is the earliest one. */
  do
    {
      changed = FALSE;
      for (guint i = 0; zones[i] != NULL; i++)
        {
          GTimeZone *tz = get_zone (quiet_hours, zones[i]);
          gint64 u;

          if (allowed_in_zone (rule, tz, t))
            continue;

          u = next_window_start (rule, tz, t);
          if (u == 0 || u - when > SEARCH_HORIZON)
            {
              if (zone != NULL)
                *zone = zones[i];
              return FALSE;
            }
          t = u;
          binding = zones[i];
          changed = TRUE;
        }
    }
  while (changed);

  if (next != NULL)
    *next = t;
  if (zone != NULL)
    *zone = binding;

  return FALSE;
}

gboolean
tc_quiet_hours_allows (const TcQuietHours     *quiet_hours,
                       const TcQuietHoursRule *rule,
                       const char * const     *zones,
                       gint64                  when,
                       gint64                 *next)
{
  return tc_quiet_hours_check (quiet_hours, rule, zones, when, next, NULL);
}
