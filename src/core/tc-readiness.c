/* tc-readiness.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The readiness check (tc-readiness.h): the answers in settings, and the
 * inspection, one read job that gathers what the workspace knows and turns
 * it into checks. Each check is relevant or not from the answers (no
 * promotional messages planned: nothing about promotional consent), passed
 * or failed from the workspace; the score is the share of the relevant
 * checks' weight that passed.
 */

#define G_LOG_DOMAIN "tc-readiness"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "tc-prices.h"
#include "tc-quiet-hours.h"
#include "tc-readiness.h"
#include "tc-repository-private.h"
#include "tc-settings.h"

/* The shipped prices are worth a look against a real bill after this. */
#define PRICES_REVIEW_DAYS 90
/* Quiet hours: promotional texts only from 08:00 to 21:00. */
#define QUIET_START_MINUTES (8 * 60)
#define QUIET_END_MINUTES   (21 * 60)

static const char *answer_names[TC_READINESS_N_ANSWERS] = {
  "use_cases", "purposes", "channels", "budget", "volume", "optin_sources", "goals",
};

static const char * const use_case_choices[] = {
  "order_updates", "appointments", "passcodes", "restock",
  "deals", "launches", "events", "cart_abandonment", "birthdays", NULL,
};
/* The first four are transactional, the rest promotional. */
#define N_TRANSACTIONAL_USE_CASES 4
static const char * const purpose_choices[] = { "transactional", "promotional", "both", NULL };
static const char * const channel_choices[] = { "sms", "whatsapp", NULL };
static const char * const source_choices[] = {
  "web_form", "checkout", "keyword", "qr_code", "import", "api", "manual", NULL,
};
static const char * const goal_choices[] = {
  "deliveries", "clicks", "replies", "revenue", "opt_outs", NULL,
};

const char *
tc_readiness_severity_to_string (TcReadinessSeverity severity)
{
  switch (severity)
    {
    case TC_READINESS_INFO:
      return "info";
    case TC_READINESS_WARNING:
      return "warning";
    case TC_READINESS_CRITICAL:
      return "critical";
    default:
      g_return_val_if_reached ("info");
    }
}

guint
tc_readiness_severity_weight (TcReadinessSeverity severity)
{
  switch (severity)
    {
    case TC_READINESS_INFO:
      return 1;
    case TC_READINESS_WARNING:
      return 3;
    case TC_READINESS_CRITICAL:
      return 6;
    default:
      g_return_val_if_reached (1);
    }
}

const char *
tc_readiness_answer_to_string (TcReadinessAnswer answer)
{
  g_return_val_if_fail (answer < TC_READINESS_N_ANSWERS, NULL);

  return answer_names[answer];
}

gboolean
tc_readiness_answer_from_string (const char        *str,
                                 TcReadinessAnswer *answer)
{
  g_return_val_if_fail (answer != NULL, FALSE);

  for (guint i = 0; str != NULL && i < TC_READINESS_N_ANSWERS; i++)
    if (strcmp (str, answer_names[i]) == 0)
      {
        *answer = i;
        return TRUE;
      }

  return FALSE;
}

const char * const *
tc_readiness_answer_choices (TcReadinessAnswer answer)
{
  switch (answer)
    {
    case TC_READINESS_ANSWER_USE_CASES:
      return use_case_choices;
    case TC_READINESS_ANSWER_PURPOSES:
      return purpose_choices;
    case TC_READINESS_ANSWER_CHANNELS:
      return channel_choices;
    case TC_READINESS_ANSWER_OPTIN_SOURCES:
      return source_choices;
    case TC_READINESS_ANSWER_GOALS:
      return goal_choices;
    case TC_READINESS_ANSWER_BUDGET:
    case TC_READINESS_ANSWER_VOLUME:
    default:
      return NULL;
    }
}

gboolean
tc_readiness_use_case_is_promotional (const char *use_case)
{
  g_return_val_if_fail (use_case != NULL, FALSE);

  for (guint i = N_TRANSACTIONAL_USE_CASES; use_case_choices[i] != NULL; i++)
    if (strcmp (use_case, use_case_choices[i]) == 0)
      return TRUE;

  return FALSE;
}

static gboolean
is_list_answer (TcReadinessAnswer answer)
{
  return answer != TC_READINESS_ANSWER_PURPOSES && tc_readiness_answer_choices (answer) != NULL;
}

char *
tc_readiness_answer_normalize (TcReadinessAnswer   answer,
                               const char         *value,
                               GError            **error)
{
  const char * const *choices;
  g_autofree char *choice_list = NULL;

  g_return_val_if_fail (answer < TC_READINESS_N_ANSWERS, NULL);
  g_return_val_if_fail (value != NULL, NULL);

  {
    g_autofree char *trimmed = g_strstrip (g_strdup (value));

    if (trimmed[0] == '\0')
      return g_strdup ("");
  }

  if (answer == TC_READINESS_ANSWER_BUDGET || answer == TC_READINESS_ANSWER_VOLUME)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (value));
      char *end = NULL;
      double number = g_ascii_strtod (trimmed, &end);

      if (end == trimmed || *end != '\0' || !isfinite (number) || number < 0 || number > 1e12 ||
          (answer == TC_READINESS_ANSWER_VOLUME && number != floor (number)))
        {
          if (answer == TC_READINESS_ANSWER_BUDGET)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("“%s” is not a budget: give what you may spend a month as a number, "
                           "such as 250 or 99.50"), value);
          else
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("“%s” is not a number of messages: give how many you expect to send a "
                           "month as a whole number, such as 5000"), value);
          return NULL;
        }

      if (answer == TC_READINESS_ANSWER_VOLUME)
        return g_strdup_printf ("%.0f", number);

      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.2f", number));
      }
    }

  choices = tc_readiness_answer_choices (answer);
  choice_list = g_strjoinv (", ", (char **) choices);

  if (!is_list_answer (answer))
    {
      g_autofree char *trimmed = g_strstrip (g_ascii_strdown (value, -1));

      if (g_strv_contains (choices, trimmed))
        return g_steal_pointer (&trimmed);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an answer to “%s”: give one of %s"),
                   value, answer_names[answer], choice_list);
      return NULL;
    }
  else
    {
      g_auto(GStrv) parts = g_strsplit (value, ",", -1);
      g_autoptr(GPtrArray) chosen = g_ptr_array_new ();

      for (guint i = 0; parts[i] != NULL; i++)
        {
          char *part = g_strstrip (parts[i]);
          char *lower;

          if (part[0] == '\0')
            continue;
          lower = g_ascii_strdown (part, -1);
          g_free (parts[i]);
          parts[i] = lower;
          if (!g_strv_contains (choices, lower))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("“%s” is not an answer to “%s”: give a comma-separated list of %s"),
                           lower, answer_names[answer], choice_list);
              return NULL;
            }
        }

      /* In the order of the choices, each once. */
      for (guint c = 0; choices[c] != NULL; c++)
        if (g_strv_contains ((const char * const *) parts, choices[c]))
          g_ptr_array_add (chosen, (gpointer) choices[c]);
      g_ptr_array_add (chosen, NULL);

      return g_strjoinv (",", (char **) chosen->pdata);
    }
}

TcReadinessAnswers *
tc_readiness_answers_new (void)
{
  return g_new0 (TcReadinessAnswers, 1);
}

void
tc_readiness_answers_free (TcReadinessAnswers *answers)
{
  if (answers == NULL)
    return;

  for (guint i = 0; i < TC_READINESS_N_ANSWERS; i++)
    g_free (answers->values[i]);
  g_free (answers);
}

gboolean
tc_readiness_answers_has (const TcReadinessAnswers *answers,
                          TcReadinessAnswer         answer,
                          const char               *choice)
{
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (answers != NULL, FALSE);
  g_return_val_if_fail (answer < TC_READINESS_N_ANSWERS, FALSE);
  g_return_val_if_fail (choice != NULL, FALSE);

  if (answers->values[answer] == NULL)
    return FALSE;

  parts = g_strsplit (answers->values[answer], ",", -1);

  return g_strv_contains ((const char * const *) parts, choice);
}

TcReadinessAnswers *
tc_readiness_answers_new_from_table (GHashTable *settings)
{
  TcReadinessAnswers *answers = tc_readiness_answers_new ();

  for (guint i = 0; settings != NULL && i < TC_READINESS_N_ANSWERS; i++)
    {
      g_autofree char *key = g_strconcat (TC_SETTING_READINESS_PREFIX, answer_names[i], NULL);
      const char *value = g_hash_table_lookup (settings, key);

      if (value != NULL && value[0] != '\0')
        answers->values[i] = g_strdup (value);
    }

  return answers;
}

/* ------------------------------------------------------------------------
 * Checks and reports
 */

static void
check_free (TcReadinessCheck *check)
{
  g_free (check->id);
  g_free (check->title);
  g_free (check->explanation);
  g_free (check->because);
  g_free (check->place);
  g_free (check);
}

void
tc_readiness_report_free (TcReadinessReport *report)
{
  if (report == NULL)
    return;

  g_clear_pointer (&report->checks, g_ptr_array_unref);
  tc_readiness_answers_free (report->answers);
  g_free (report);
}

const TcReadinessCheck *
tc_readiness_report_find (const TcReadinessReport *report,
                          const char              *id)
{
  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < report->checks->len; i++)
    {
      const TcReadinessCheck *check = g_ptr_array_index (report->checks, i);

      if (strcmp (check->id, id) == 0)
        return check;
    }

  return NULL;
}

static void
add_check_json (JsonBuilder            *builder,
                const TcReadinessCheck *check)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, check->id);
  json_builder_set_member_name (builder, "severity");
  json_builder_add_string_value (builder, tc_readiness_severity_to_string (check->severity));
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, check->title);
  json_builder_set_member_name (builder, "explanation");
  json_builder_add_string_value (builder, check->explanation);
  json_builder_set_member_name (builder, "because");
  if (check->because != NULL)
    json_builder_add_string_value (builder, check->because);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "place");
  json_builder_add_string_value (builder, check->place);
  json_builder_end_object (builder);
}

char *
tc_readiness_report_to_json (const TcReadinessReport *report)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (report != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "score");
  json_builder_add_int_value (builder, report->score);
  json_builder_set_member_name (builder, "failed");
  json_builder_add_int_value (builder, report->n_failed);
  json_builder_set_member_name (builder, "answers");
  json_builder_begin_object (builder);
  for (guint i = 0; i < TC_READINESS_N_ANSWERS; i++)
    {
      json_builder_set_member_name (builder, answer_names[i]);
      if (report->answers->values[i] != NULL)
        json_builder_add_string_value (builder, report->answers->values[i]);
      else
        json_builder_add_null_value (builder);
    }
  json_builder_end_object (builder);
  for (guint pass = 0; pass < 2; pass++)
    {
      json_builder_set_member_name (builder, pass == 0 ? "findings" : "passed");
      json_builder_begin_array (builder);
      for (guint i = 0; i < report->checks->len; i++)
        {
          const TcReadinessCheck *check = g_ptr_array_index (report->checks, i);

          if (check->passed == (pass == 1))
            add_check_json (builder, check);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

/* ------------------------------------------------------------------------
 * What the inspection gathers (worker thread)
 */

typedef struct
{
  GHashTable *settings;          /* every setting but privacy.* */
  guint       n_senders;         /* registered SMS senders */
  guint       n_senders_transactional_only;
  guint       n_senders_promotional_only;
  guint       n_senders_promotional;   /* promotional or both */
  guint64     daily_cap_total;   /* sum of the SMS senders' caps */
  gboolean    any_uncapped;      /* an SMS sender without a daily cap */
  guint       opted_in[2];       /* contacts × channel opted in, by purpose */
  guint       no_wording[2];     /* of those, without any recorded wording, by purpose */
  GPtrArray  *sources;           /* consent sources in use (opted in) */
  guint       wa_templates;      /* WhatsApp templates */
  guint       wa_approved;
  GPtrArray  *wa_rejected;       /* names */
  char       *main_country;      /* the most common contact country, or NULL */
  guint       n_conversions;     /* events named as attribution.event */
} Facts;

static void
facts_free (Facts *facts)
{
  g_clear_pointer (&facts->settings, g_hash_table_unref);
  g_clear_pointer (&facts->sources, g_ptr_array_unref);
  g_clear_pointer (&facts->wa_rejected, g_ptr_array_unref);
  g_free (facts->main_country);
  g_free (facts);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Facts, facts_free)

static GHashTable *
read_settings (TcDb    *db,
               GError **error)
{
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _tc_db_prepare (db,
                         "SELECT key, value FROM settings WHERE substr (key, 1, 8) <> 'privacy.'",
                         error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (values,
                         g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot read the settings");
      return NULL;
    }

  return g_steal_pointer (&values);
}

/* Runs @sql, calling @row for each row. */
static gboolean
each_row (TcDb          *db,
          const char    *sql,
          const char    *text_param,
          void         (*row) (sqlite3_stmt *stmt, Facts *facts),
          Facts         *facts,
          GError       **error)
{
  sqlite3_stmt *stmt = _tc_db_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (text_param != NULL)
    sqlite3_bind_text (stmt, 1, text_param, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    row (stmt, facts);
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return _tc_db_set_error (db, error, "Cannot inspect the workspace");

  return TRUE;
}

static void
sender_row (sqlite3_stmt *stmt,
            Facts        *facts)
{
  const char *use = (const char *) sqlite3_column_text (stmt, 0);
  gint64 cap = sqlite3_column_int64 (stmt, 1);

  facts->n_senders++;
  if (strcmp (use, "transactional") == 0)
    facts->n_senders_transactional_only++;
  else
    facts->n_senders_promotional++;
  if (strcmp (use, "promotional") == 0)
    facts->n_senders_promotional_only++;
  if (cap <= 0)
    facts->any_uncapped = TRUE;
  else
    facts->daily_cap_total += cap;
}

static void
consent_row (sqlite3_stmt *stmt,
             Facts        *facts)
{
  const char *purpose = (const char *) sqlite3_column_text (stmt, 0);
  guint index = strcmp (purpose, "promotional") == 0 ? 0 : 1;

  facts->opted_in[index] += sqlite3_column_int (stmt, 1);
  facts->no_wording[index] += sqlite3_column_int (stmt, 2);
}

static void
source_row (sqlite3_stmt *stmt,
            Facts        *facts)
{
  g_ptr_array_add (facts->sources, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
}

static void
template_row (sqlite3_stmt *stmt,
              Facts        *facts)
{
  const char *name = (const char *) sqlite3_column_text (stmt, 0);
  const char *status = (const char *) sqlite3_column_text (stmt, 1);

  facts->wa_templates++;
  if (g_ascii_strcasecmp (status, "approved") == 0)
    facts->wa_approved++;
  else if (g_ascii_strcasecmp (status, "rejected") == 0)
    g_ptr_array_add (facts->wa_rejected, g_strdup (name));
}

static void
country_row (sqlite3_stmt *stmt,
             Facts        *facts)
{
  g_free (facts->main_country);
  facts->main_country = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static void
count_row (sqlite3_stmt *stmt,
           Facts        *facts)
{
  facts->n_conversions = sqlite3_column_int (stmt, 0);
}

static gpointer
inspect_job (TcDb          *db,
             gpointer       job_data,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(Facts) facts = g_new0 (Facts, 1);
  const char *event;

  facts->sources = g_ptr_array_new_with_free_func (g_free);
  facts->wa_rejected = g_ptr_array_new_with_free_func (g_free);
  facts->settings = read_settings (db, error);
  if (facts->settings == NULL)
    return NULL;

  event = g_hash_table_lookup (facts->settings, TC_SETTING_ATTRIBUTION_EVENT);
  if (event == NULL || event[0] == '\0')
    event = "order_placed";

  /* Who opted in, and whether any event of theirs for that channel and
   * purpose kept the words they agreed to (a double opt-in's request
   * carries them, its confirmation need not). */
  if (!each_row (db, "SELECT use, daily_cap FROM senders WHERE type <> 'whatsapp'", NULL,
                 sender_row, facts, error) ||
      !each_row (db,
                 "SELECT s.purpose, count (*),"
                 "  sum (NOT EXISTS (SELECT 1 FROM consent_events e"
                 "                   WHERE e.contact_id = s.contact_id AND e.channel = s.channel"
                 "                     AND e.purpose = s.purpose AND e.wording <> ''))"
                 " FROM consent_state s WHERE s.status = 'opted_in' GROUP BY s.purpose",
                 NULL, consent_row, facts, error) ||
      !each_row (db,
                 "SELECT DISTINCT source FROM consent_state"
                 " WHERE status = 'opted_in' ORDER BY source",
                 NULL, source_row, facts, error) ||
      !each_row (db, "SELECT name, status FROM templates WHERE kind = 'whatsapp' ORDER BY name",
                 NULL, template_row, facts, error) ||
      !each_row (db,
                 "SELECT country FROM contacts WHERE country <> ''"
                 " GROUP BY country ORDER BY count (*) DESC, country LIMIT 1",
                 NULL, country_row, facts, error) ||
      !each_row (db, "SELECT count (*) FROM (SELECT 1 FROM events WHERE name = ?1 LIMIT 1000)",
                 event, count_row, facts, error))
    return NULL;

  return g_steal_pointer (&facts);
}

/* ------------------------------------------------------------------------
 * The checks (any thread: pure)
 */

typedef struct
{
  GPtrArray                *checks;
  const TcReadinessAnswers *answers;
  const Facts              *facts;
  gint64                    now;
} Inspection;

static TcReadinessCheck *
add (Inspection          *in,
     const char          *id,
     TcReadinessSeverity  severity,
     gboolean             passed,
     const char          *place,
     const char          *because)
{
  TcReadinessCheck *check = g_new0 (TcReadinessCheck, 1);

  check->id = g_strdup (id);
  check->severity = severity;
  check->passed = passed;
  check->place = g_strdup (place);
  check->because = g_strdup (because);
  g_ptr_array_add (in->checks, check);

  return check;
}

static void
say (TcReadinessCheck *check,
     char             *title,
     char             *explanation)
{
  check->title = title;
  check->explanation = explanation;
}

static const char *
setting (const Inspection *in,
         const char       *key)
{
  const char *value = g_hash_table_lookup (in->facts->settings, key);

  return value != NULL && value[0] != '\0' ? value : NULL;
}

static gboolean
answered (const Inspection  *in,
          TcReadinessAnswer  answer)
{
  return in->answers->values[answer] != NULL;
}

/* Whether promotional / transactional messages are planned: an
 * unanswered question counts as "yes", so that nothing is left out before
 * the marketer says. */
static gboolean
plans_purpose (const Inspection *in,
               TcPurpose         purpose)
{
  const char *value = in->answers->values[TC_READINESS_ANSWER_PURPOSES];

  if (value == NULL || strcmp (value, "both") == 0)
    return TRUE;

  return strcmp (value, tc_purpose_to_string (purpose)) == 0;
}

static gboolean
plans_channel (const Inspection *in,
               const char       *channel)
{
  return !answered (in, TC_READINESS_ANSWER_CHANNELS) ||
         tc_readiness_answers_has (in->answers, TC_READINESS_ANSWER_CHANNELS, channel);
}

static gboolean
plans_goal (const Inspection *in,
            const char       *goal)
{
  return tc_readiness_answers_has (in->answers, TC_READINESS_ANSWER_GOALS, goal);
}

static const char *
purposes_because (const Inspection *in)
{
  return answered (in, TC_READINESS_ANSWER_PURPOSES) ? "purposes" : NULL;
}

static const char *
channels_because (const Inspection *in)
{
  return answered (in, TC_READINESS_ANSWER_CHANNELS) ? "channels" : NULL;
}

static char *
config_of (GHashTable *settings,
           const char *what);

/* Whether the recorded network check @what passed with today's settings;
 * @message_out gets its message (or NULL when there is no record). */
static gboolean
recorded_test_ok (const Inspection  *in,
                  const char        *what,
                  char             **message_out)
{
  g_autofree char *key = g_strconcat (TC_SETTING_READINESS_TEST_PREFIX, what, NULL);
  const char *json = setting (in, key);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *config = config_of (in->facts->settings, what);
  JsonObject *object;

  *message_out = NULL;
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;

  object = json_node_get_object (json_parser_get_root (parser));
  /* A check made with other settings says nothing about these. */
  if (g_strcmp0 (json_object_get_string_member_with_default (object, "config", ""), config) != 0)
    return FALSE;

  *message_out = g_strdup (json_object_get_string_member_with_default (object, "message", ""));

  return json_object_get_boolean_member_with_default (object, "ok", FALSE);
}

static void
check_answers (Inspection *in)
{
  guint n_missing = 0;
  TcReadinessCheck *check;

  for (guint i = 0; i < TC_READINESS_N_ANSWERS; i++)
    if (!answered (in, i))
      n_missing++;

  check = add (in, "answers.complete", TC_READINESS_INFO, n_missing == 0, "readiness:questions",
               NULL);
  if (n_missing == 0)
    say (check, g_strdup (_("Every question is answered")),
         g_strdup (_("The check below is fitted to what you plan to send.")));
  else
    say (check,
         g_strdup_printf (ngettext ("%u question is not answered yet",
                                    "%u questions are not answered yet", n_missing), n_missing),
         g_strdup (_("Until you answer, the check assumes you send every kind of message on "
                     "every channel, and cannot compare your budget with the prices.")));

  /* What the use cases are, against what the marketer said they send. */
  if (answered (in, TC_READINESS_ANSWER_USE_CASES) && answered (in, TC_READINESS_ANSWER_PURPOSES))
    {
      g_auto(GStrv) use_cases = g_strsplit (in->answers->values[TC_READINESS_ANSWER_USE_CASES],
                                            ",", -1);
      gboolean promotional = FALSE, transactional = FALSE;

      for (guint i = 0; use_cases[i] != NULL; i++)
        {
          if (tc_readiness_use_case_is_promotional (use_cases[i]))
            promotional = TRUE;
          else
            transactional = TRUE;
        }

      check = add (in, "answers.purposes", TC_READINESS_WARNING,
                   (!promotional || plans_purpose (in, TC_PURPOSE_PROMOTIONAL)) &&
                   (!transactional || plans_purpose (in, TC_PURPOSE_TRANSACTIONAL)),
                   "readiness:questions", "use_cases");
      if (check->passed)
        say (check, g_strdup (_("Your use cases match the kinds of message you send")),
             g_strdup (_("Transactional and promotional messages follow different rules; "
                         "yours are sorted the right way.")));
      else if (promotional && !plans_purpose (in, TC_PURPOSE_PROMOTIONAL))
        say (check, g_strdup (_("Some of your use cases are promotional")),
             g_strdup (_("Deals, launches, events, cart reminders and birthday offers are "
                         "marketing: they need marketing consent and quiet hours, even if you "
                         "think of them as service. Answer “both” or “promotional”.")));
      else
        say (check, g_strdup (_("Some of your use cases are transactional")),
             g_strdup (_("Order updates, appointment reminders, passcodes and restock notices are "
                         "transactional; they belong on a sender of their own. Answer “both”.")));
    }
}

static void
check_senders (Inspection *in)
{
  const Facts *facts = in->facts;
  TcReadinessCheck *check;

  if (!plans_channel (in, "sms"))
    return;

  check = add (in, "senders.registered", TC_READINESS_WARNING, facts->n_senders > 0,
               "preferences:senders", channels_because (in));
  if (check->passed)
    say (check,
         g_strdup_printf (ngettext ("%u SMS sender is registered", "%u SMS senders are registered",
                                    facts->n_senders), facts->n_senders),
         g_strdup (_("Textcast knows what each number is for and how fast it may send.")));
  else
    say (check, g_strdup (_("No SMS sender is registered")),
         g_strdup (_("Register the numbers you send from — long code, toll-free or short code — "
                     "with what each is for, so that Textcast keeps to their speed and daily "
                     "limits and keeps marketing off your service number.")));

  if (plans_purpose (in, TC_PURPOSE_PROMOTIONAL) && plans_purpose (in, TC_PURPOSE_TRANSACTIONAL))
    {
      check = add (in, "senders.separate", TC_READINESS_WARNING,
                   facts->n_senders_transactional_only > 0 && facts->n_senders_promotional_only > 0,
                   "preferences:senders", purposes_because (in));
      if (check->passed)
        say (check, g_strdup (_("Service and marketing messages go from separate senders")),
             g_strdup (_("Carriers judge the two kinds of traffic apart; a problem with one does "
                         "not stop the other.")));
      else
        say (check, g_strdup (_("Service and marketing messages share a sender")),
             g_strdup (_("Give order updates and reminders a sender registered as "
                         "transactional, and deals another registered as promotional. Carriers "
                         "expect it, and customers can tell them apart.")));
    }

  if (plans_purpose (in, TC_PURPOSE_PROMOTIONAL) && facts->n_senders > 0)
    {
      check = add (in, "senders.promotional", TC_READINESS_CRITICAL,
                   facts->n_senders_promotional > 0, "preferences:senders", purposes_because (in));
      if (check->passed)
        say (check, g_strdup (_("A sender may carry promotional messages")),
             g_strdup (_("Campaigns have a number to go out from.")));
      else
        say (check, g_strdup (_("No sender may carry promotional messages")),
             g_strdup (_("Every registered SMS sender is for transactional messages only, so "
                         "every campaign would be skipped. Register a sender for promotional "
                         "use.")));
    }

  if (answered (in, TC_READINESS_ANSWER_VOLUME) && facts->n_senders > 0 && !facts->any_uncapped)
    {
      double per_day = g_ascii_strtod (in->answers->values[TC_READINESS_ANSWER_VOLUME], NULL) / 30.;

      check = add (in, "senders.volume", TC_READINESS_WARNING,
                   per_day <= (double) facts->daily_cap_total, "preferences:senders", "volume");
      if (check->passed)
        say (check, g_strdup (_("Your senders can carry the volume you expect")),
             g_strdup_printf (_("About %.0f messages a day, within the senders’ daily limits of "
                                "%llu together."),
                              ceil (per_day), (unsigned long long) facts->daily_cap_total));
      else
        say (check, g_strdup (_("Your senders cannot carry the volume you expect")),
             g_strdup_printf (_("About %.0f messages a day is more than the %llu"
                                " your senders may send together. Register another sender, a "
                                "toll-free number or a short code, or raise the limits your "
                                "carrier approved."),
                              ceil (per_day), (unsigned long long) facts->daily_cap_total));
    }
}

static void
check_consent (Inspection *in)
{
  const Facts *facts = in->facts;
  gboolean promotional = plans_purpose (in, TC_PURPOSE_PROMOTIONAL);
  guint opted_in = facts->opted_in[0] + facts->opted_in[1];
  guint no_wording = 0;
  TcReadinessCheck *check;

  check = add (in, "consent.recorded", TC_READINESS_WARNING, opted_in > 0, "contacts:import", NULL);
  if (check->passed)
    say (check, g_strdup (_("Consent is recorded for your contacts")),
         g_strdup (_("Messages go only to people who agreed to them.")));
  else
    say (check, g_strdup (_("No contact has agreed to receive messages")),
         g_strdup (_("Textcast sends only to people whose opt-in it knows. Import your list with "
                     "the consent each person gave (a consent column), or collect it through a "
                     "keyword.")));

  if (promotional)
    {
      check = add (in, "consent.promotional", TC_READINESS_WARNING, facts->opted_in[0] > 0,
                   "contacts:import", purposes_because (in));
      if (check->passed)
        say (check, g_strdup (_("Contacts agreed to marketing messages")),
             g_strdup (_("Marketing consent is recorded apart from service consent.")));
      else
        say (check, g_strdup (_("No contact agreed to marketing messages")),
             g_strdup (_("A number given for shipping updates is not consent to marketing. "
                         "Campaigns need people who said yes to promotional texts.")));
    }

  /* Proof: the words each person agreed to. Only the purposes planned
   * count. */
  if (promotional)
    no_wording += facts->no_wording[0];
  if (plans_purpose (in, TC_PURPOSE_TRANSACTIONAL))
    no_wording += facts->no_wording[1];
  check = add (in, "consent.wording", promotional ? TC_READINESS_CRITICAL : TC_READINESS_WARNING,
               no_wording == 0, "contacts:import", purposes_because (in));
  if (check->passed)
    say (check, g_strdup (_("The opt-in wording is kept for every consent")),
         g_strdup (_("You can show what each person agreed to, should anyone ask.")));
  else
    say (check,
         g_strdup_printf (ngettext ("%u consent has no opt-in wording",
                                    "%u consents have no opt-in wording", no_wording), no_wording),
         g_strdup (_("The law asks for proof of consent: when, where, and the words the person "
                     "agreed to. Import the sign-up text with your list (a wording column) or "
                     "record it with each opt-in.")));

  if (answered (in, TC_READINESS_ANSWER_OPTIN_SOURCES))
    {
      g_autoptr(GString) unexpected = g_string_new (NULL);

      for (guint i = 0; i < facts->sources->len; i++)
        {
          const char *source = g_ptr_array_index (facts->sources, i);

          /* Textcast's own (a provider's report, the system) are not
           * ways of gathering numbers. */
          if (strcmp (source, "provider") == 0 || strcmp (source, "system") == 0 ||
              tc_readiness_answers_has (in->answers, TC_READINESS_ANSWER_OPTIN_SOURCES, source))
            continue;
          if (unexpected->len > 0)
            g_string_append (unexpected, ", ");
          g_string_append (unexpected, source);
        }

      check = add (in, "consent.sources", TC_READINESS_INFO, unexpected->len == 0,
                   "readiness:questions", "optin_sources");
      if (check->passed)
        say (check, g_strdup (_("Consents come from the sources you named")),
             g_strdup (_("Every opt-in on record was gathered the way you said.")));
      else
        say (check, g_strdup (_("Some consents come from sources you did not name")),
             g_strdup_printf (_("Opt-ins recorded as “%s” are in the workspace. Make sure you can "
                                "show how they were gathered, or add the source to your "
                                "answers."), unexpected->str));
    }

  if (promotional && plans_channel (in, "sms"))
    {
      const char *value = setting (in, TC_SETTING_DOUBLE_OPTIN_PREFIX "sms");

      check = add (in, "consent.double_optin", TC_READINESS_WARNING,
                   g_strcmp0 (value, "true") == 0, "preferences:compliance", purposes_because (in));
      if (check->passed)
        say (check, g_strdup (_("New SMS subscribers confirm with YES")),
             g_strdup (_("Double opt-in proves the number belongs to the person who signed up.")));
      else
        say (check, g_strdup (_("Double opt-in is off for SMS")),
             g_strdup (_("Ask new subscribers to reply YES before the first marketing text: it "
                         "keeps mistyped and made-up numbers off your list and proves consent.")));
    }
}

static void
check_texts (Inspection *in)
{
  TcReadinessCheck *check;
  const char *program = setting (in, TC_SETTING_HELP_PROGRAM);

  if (program == NULL)
    program = setting (in, TC_SETTING_BRAND_NAME);
  check = add (in, "help.program", TC_READINESS_WARNING, program != NULL, "preferences:messages",
               NULL);
  if (check->passed)
    say (check, g_strdup_printf (_("Replies are signed “%s”"), program),
         g_strdup (_("HELP, STOP and opt-in replies name your business.")));
  else
    say (check, g_strdup (_("Replies do not name your business")),
         g_strdup (_("The HELP and opt-out replies begin with the program’s name; without a "
                     "brand name they say “Textcast”. Set your brand name.")));

  check = add (in, "help.support", TC_READINESS_WARNING,
               setting (in, TC_SETTING_HELP_SUPPORT) != NULL, "preferences:compliance", NULL);
  if (check->passed)
    say (check, g_strdup (_("The HELP reply says where to get help")),
         g_strdup_printf (_("It points to %s."), setting (in, TC_SETTING_HELP_SUPPORT)));
  else
    say (check, g_strdup (_("The HELP reply gives no support contact")),
         g_strdup (_("Carriers require the HELP reply to say how to reach you: add an email "
                     "address or a phone number for support.")));

  if (plans_purpose (in, TC_PURPOSE_PROMOTIONAL) && plans_channel (in, "sms"))
    {
      check = add (in, "optout.every_message", TC_READINESS_CRITICAL,
                   g_strcmp0 (setting (in, TC_SETTING_OPTOUT_EVERY_MESSAGE), "false") != 0,
                   "preferences:messages", purposes_because (in));
      if (check->passed)
        say (check, g_strdup (_("Every promotional SMS says how to opt out")),
             g_strdup (_("“Reply STOP to opt out” is added where the text lacks it.")));
      else
        say (check, g_strdup (_("Promotional texts do not always say how to opt out")),
             g_strdup (_("Each marketing message should tell people how to stop them. Turn on "
                         "the opt-out instruction for every promotional SMS.")));
    }
}

/* Whether @rule allows promotional texts at a time @reference does not, on
 * some day. */
static gboolean
rule_looser (const TcQuietHoursRule *rule,
             const TcQuietHoursRule *reference)
{
  for (guint day = 0; day < 7; day++)
    {
      gboolean open = rule->days[day].start != rule->days[day].end;
      gboolean reference_open = reference->days[day].start != reference->days[day].end;

      if (!open)
        continue;
      if (!reference_open || rule->days[day].start < reference->days[day].start ||
          rule->days[day].end > reference->days[day].end)
        return TRUE;
    }

  return FALSE;
}

static void
add_place (GString                *places,
           const TcQuietHoursRule *rule)
{
  g_autofree char *place = NULL;

  if (strcmp (rule->country, "*") == 0)
    place = g_strdup (_("everywhere else"));
  else
    place = g_strdup_printf ("%s%s%s", rule->country, rule->subdivision[0] != '\0' ? "-" : "",
                             rule->subdivision);
  if (strstr (places->str, place) != NULL)
    return;
  if (places->len > 0)
    g_string_append (places, ", ");
  g_string_append (places, place);
}

static void
check_quiet_hours (Inspection *in)
{
  const char *json = setting (in, TC_SETTING_QUIET_HOURS_RULES);
  g_autoptr(TcQuietHours) builtin = tc_quiet_hours_new_default ();
  g_autoptr(TcQuietHours) rules = NULL;
  g_autoptr(GString) loose = g_string_new (NULL);
  TcReadinessCheck *check;

  if (!plans_purpose (in, TC_PURPOSE_PROMOTIONAL))
    return;

  if (json != NULL)
    rules = tc_quiet_hours_new_from_json (json, NULL);

  /* The built-in rules keep each place's law (08:00–21:00 where nothing
   * stricter applies); an edited table must not allow more anywhere —
   * neither in a rule of its own nor where it dropped a stricter one. */
  if (rules != NULL)
    {
      for (guint pass = 0; pass < 2; pass++)
        {
          TcQuietHours *table = pass == 0 ? rules : builtin;

          for (guint i = 0; i < tc_quiet_hours_get_n_rules (table); i++)
            {
              const TcQuietHoursRule *rule = tc_quiet_hours_get_rule (table, i);
              const char *country = strcmp (rule->country, "*") == 0 ? NULL : rule->country;
              const char *subdivision = rule->subdivision[0] != '\0' ? rule->subdivision : NULL;
              const TcQuietHoursRule *mine = tc_quiet_hours_lookup (rules, country, subdivision);
              const TcQuietHoursRule *law = tc_quiet_hours_lookup (builtin, country, subdivision);
              TcQuietHoursRule day_rule = *law;

              /* Where the built-in table has no rule of its own, the
               * general 08:00–21:00. */
              if (strcmp (law->country, "*") == 0)
                for (guint day = 0; day < 7; day++)
                  {
                    day_rule.days[day].start = MAX (law->days[day].start, QUIET_START_MINUTES);
                    day_rule.days[day].end = MIN (law->days[day].end, QUIET_END_MINUTES);
                  }
              if (rule_looser (mine, &day_rule))
                add_place (loose, rule);
            }
        }
    }

  check = add (in, "quiet_hours.rules", TC_READINESS_CRITICAL, loose->len == 0,
               "preferences:compliance", purposes_because (in));
  if (check->passed)
    say (check, g_strdup (_("Quiet hours keep marketing to the daytime")),
         g_strdup (_("No promotional text reaches anyone before 8:00 or after 21:00 in their "
                     "own time zone, or outside the stricter hours some places set.")));
  else
    say (check, g_strdup (_("Quiet hours allow marketing at night")),
         g_strdup_printf (_("The rules for %s allow promotional texts at hours the built-in rules "
                            "forbid, such as before 8:00 or after 21:00. Narrow them, or reset "
                            "them to the built-in rules."),
                          loose->str));
}

static void
check_prices (Inspection *in)
{
  g_autoptr(TcPrices) prices = NULL;
  const char *json = setting (in, TC_SETTING_PRICES);
  TcReadinessCheck *check;
  GDateTime *now = g_date_time_new_from_unix_utc (in->now);
  int age = tc_prices_defaults_age_days (now);

  g_date_time_unref (now);
  if (json != NULL)
    prices = tc_prices_new_from_json (json, NULL);
  if (prices == NULL)
    prices = tc_prices_new ();

  check = add (in, "prices.reviewed", TC_READINESS_INFO,
               tc_prices_has_custom (prices) || age <= PRICES_REVIEW_DAYS, "preferences:prices",
               NULL);
  if (check->passed)
    say (check, g_strdup (_("The price table is up to date")),
         g_strdup (_("Cost forecasts use prices you entered or recent estimates.")));
  else
    say (check, g_strdup (_("The price table has not been checked against your bill")),
         g_strdup_printf (_("Forecasts use estimates from %s. Enter the prices your provider "
                            "charges for the countries you text."),
                          tc_prices_defaults_as_of ()));

  if (answered (in, TC_READINESS_ANSWER_BUDGET) && answered (in, TC_READINESS_ANSWER_VOLUME))
    {
      double budget = g_ascii_strtod (in->answers->values[TC_READINESS_ANSWER_BUDGET], NULL);
      double volume = g_ascii_strtod (in->answers->values[TC_READINESS_ANSWER_VOLUME], NULL);
      gboolean sms = plans_channel (in, "sms");
      double price = 0;
      double cost;
      g_autofree char *cost_text = NULL;
      g_autofree char *budget_text = NULL;
      const char *country = in->facts->main_country;

      if (!tc_prices_lookup (prices, country, sms ? TC_CHANNEL_SMS : TC_CHANNEL_WHATSAPP,
                             TC_PRICE_CATEGORY_MARKETING, &price, NULL))
        price = 0;
      cost = price * volume;
      cost_text = tc_prices_format_number (cost);
      budget_text = tc_prices_format_number (budget);

      check = add (in, "prices.budget", TC_READINESS_WARNING, cost <= budget, "preferences:prices",
                   "budget");
      if (check->passed)
        say (check, g_strdup (_("Your budget covers the volume you expect")),
             g_strdup_printf (_("About %s %s a month for %.0f messages, within %s %s."),
                              tc_prices_get_currency (prices), cost_text, volume,
                              tc_prices_get_currency (prices), budget_text));
      else
        say (check, g_strdup (_("Your budget does not cover the volume you expect")),
             g_strdup_printf (_("%.0f one-segment messages cost about %s %s a month at the "
                                "prices in the table, more than your budget of %s %s. Send less, "
                                "raise the budget, or check the prices."),
                              volume, tc_prices_get_currency (prices), cost_text,
                              tc_prices_get_currency (prices), budget_text));
    }
}

/* The provider serving @channel: "simulator", "twilio" or "whatsapp". */
static const char *
provider_of (const Inspection *in,
             const char       *channel)
{
  const char *value = setting (in, strcmp (channel, "sms") == 0 ? TC_SETTING_PROVIDER_SMS
                                                                : TC_SETTING_PROVIDER_WHATSAPP);

  return value != NULL ? value : "simulator";
}

static void
check_providers (Inspection *in)
{
  const char *channels[] = { "sms", "whatsapp" };
  guint n_simulated = 0;
  g_autoptr(GPtrArray) real = g_ptr_array_new ();
  gboolean configured = TRUE;
  g_autoptr(GString) missing = g_string_new (NULL);
  TcReadinessCheck *check;

  for (guint i = 0; i < G_N_ELEMENTS (channels); i++)
    {
      const char *provider;

      if (!plans_channel (in, channels[i]))
        continue;
      provider = provider_of (in, channels[i]);
      if (strcmp (provider, "simulator") == 0)
        n_simulated |= 1 << i;
      else if (!g_ptr_array_find_with_equal_func (real, provider, g_str_equal, NULL))
        g_ptr_array_add (real, (gpointer) provider);
    }

  check = add (in, "provider.real", TC_READINESS_CRITICAL, n_simulated == 0,
               "preferences:providers", channels_because (in));
  if (check->passed)
    say (check, g_strdup (_("Messages go through a real provider")),
         g_strdup (_("Texts reach real phones.")));
  else
    say (check,
         g_strdup (n_simulated == 3 ? _("SMS and WhatsApp go to the built-in simulator")
                   : n_simulated == 1 ? _("SMS goes to the built-in simulator")
                                      : _("WhatsApp goes to the built-in simulator")),
         g_strdup (_("The simulator is for trying Textcast out: nothing reaches a real phone. "
                     "Connect your Twilio or WhatsApp account.")));

  if (real->len == 0)
    return;

  for (guint i = 0; i < real->len; i++)
    {
      const char *provider = g_ptr_array_index (real, i);
      const char *need = NULL;

      if (strcmp (provider, "twilio") == 0)
        {
          if (setting (in, TC_SETTING_TWILIO_ACCOUNT_SID) == NULL)
            need = _("Twilio’s Account SID");
          else if (setting (in, TC_SETTING_TWILIO_FROM) == NULL &&
                   setting (in, TC_SETTING_TWILIO_MESSAGING_SERVICE_SID) == NULL)
            need = _("a Twilio number or Messaging Service to send from");
        }
      else if (setting (in, TC_SETTING_WHATSAPP_PHONE_NUMBER_ID) == NULL)
        need = _("the WhatsApp phone number id");
      else if (setting (in, TC_SETTING_WHATSAPP_WABA_ID) == NULL)
        need = _("the WhatsApp Business Account id");

      if (need != NULL)
        {
          configured = FALSE;
          if (missing->len > 0)
            g_string_append (missing, _(" and "));
          g_string_append (missing, need);
        }
    }

  check = add (in, "provider.configured", TC_READINESS_CRITICAL, configured,
               "preferences:providers", NULL);
  if (check->passed)
    say (check, g_strdup (_("Your provider accounts are filled in")),
         g_strdup (_("Textcast knows which accounts to send through.")));
  else
    say (check, g_strdup (_("A provider account is incomplete")),
         g_strdup_printf (_("Textcast still needs %s."), missing->str));

  {
    g_autoptr(GString) untested = g_string_new (NULL);
    g_autofree char *last_error = NULL;

    for (guint i = 0; i < real->len; i++)
      {
        const char *provider = g_ptr_array_index (real, i);
        g_autofree char *message = NULL;

        if (recorded_test_ok (in, provider, &message))
          continue;
        if (untested->len > 0)
          g_string_append (untested, _(" and "));
        g_string_append (untested, strcmp (provider, "twilio") == 0 ? "Twilio"
                                                                    : _("the WhatsApp Cloud API"));
        if (message != NULL && last_error == NULL)
          last_error = g_steal_pointer (&message);
      }

    check = add (in, "provider.tested", TC_READINESS_WARNING, untested->len == 0,
                 "preferences:providers", NULL);
    if (check->passed)
      say (check, g_strdup (_("The provider connection was tested")),
           g_strdup (_("The last test with these settings worked.")));
    else if (last_error != NULL)
      say (check, g_strdup_printf (_("The connection test of %s failed"), untested->str),
           g_strdup_printf (_("%s Fix it and test again."), last_error));
    else
      say (check, g_strdup_printf (_("%s has not been tested"), untested->str),
           g_strdup (_("Test the connection once with these settings: it finds a wrong token or "
                       "number before a campaign does.")));
  }

  /* Replies, STOP and delivery reports come back through webhooks. */
  check = add (in, "webhooks.public_url", TC_READINESS_CRITICAL,
               setting (in, TC_SETTING_HTTP_PUBLIC_URL) != NULL, "preferences:messages", NULL);
  if (check->passed)
    say (check, g_strdup (_("Providers know where to reach Textcast")),
         g_strdup_printf (_("Replies and delivery reports go to %s."),
                          setting (in, TC_SETTING_HTTP_PUBLIC_URL)));
  else
    say (check, g_strdup (_("Providers cannot reach Textcast")),
         g_strdup (_("Without a public address, replies — STOP included — and delivery reports "
                     "never arrive, so opt-outs are not honoured. Set the public URL your "
                     "provider’s webhooks should call.")));

  if (check->passed)
    {
      g_autofree char *message = NULL;
      gboolean ok = recorded_test_ok (in, "webhooks", &message);

      check = add (in, "webhooks.reachable", TC_READINESS_WARNING, ok, "preferences:messages",
                   NULL);
      if (ok)
        say (check, g_strdup (_("The public URL reaches Textcast")),
             g_strdup (_("The last check of this address got an answer from Textcast.")));
      else if (message != NULL)
        say (check, g_strdup (_("The public URL did not reach Textcast")),
             g_strdup_printf (_("%s Check the tunnel or forwarding, then check again."), message));
      else
        say (check, g_strdup (_("The public URL has not been checked")),
             g_strdup (_("Check that the address reaches Textcast while it is open.")));
    }
}

static void
check_whatsapp (Inspection *in)
{
  const Facts *facts = in->facts;
  TcReadinessCheck *check;

  if (!answered (in, TC_READINESS_ANSWER_CHANNELS) || !plans_channel (in, "whatsapp"))
    return;

  check = add (in, "whatsapp.templates", TC_READINESS_WARNING, facts->wa_approved > 0, "templates",
               "channels");
  if (check->passed)
    say (check,
         g_strdup_printf (ngettext ("%u WhatsApp template is approved",
                                    "%u WhatsApp templates are approved", facts->wa_approved),
                          facts->wa_approved),
         g_strdup (_("You can start conversations on WhatsApp.")));
  else if (facts->wa_rejected->len > 0)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < facts->wa_rejected->len; i++)
        g_string_append_printf (names, "%s“%s”", i > 0 ? ", " : "",
                                (const char *) g_ptr_array_index (facts->wa_rejected, i));
      say (check, g_strdup (_("No WhatsApp template is approved")),
           g_strdup_printf (_("Meta rejected %s. Read the reason on the template, change it and "
                              "submit it again: a business may write first on WhatsApp only with "
                              "an approved template."), names->str));
    }
  else if (facts->wa_templates > 0)
    say (check, g_strdup (_("No WhatsApp template is approved")),
         g_strdup (_("Submit your WhatsApp templates to Meta and refresh their status: a "
                     "business may write first on WhatsApp only with an approved template.")));
  else
    say (check, g_strdup (_("There is no WhatsApp template")),
         g_strdup (_("A business may write first on WhatsApp only with a template Meta approved. "
                     "Write one and submit it.")));
}

static void
check_goals (Inspection *in)
{
  TcReadinessCheck *check;

  if (plans_goal (in, "clicks"))
    {
      check = add (in, "links.short_domain", TC_READINESS_WARNING,
                   setting (in, TC_SETTING_SHORT_LINK_DOMAIN) != NULL, "preferences:messages",
                   "goals");
      if (check->passed)
        say (check, g_strdup (_("Links are tracked")),
             g_strdup (_("Clicks are counted through your short-link domain.")));
      else
        say (check, g_strdup (_("Clicks cannot be counted")),
             g_strdup (_("You want to know who clicks: set a short-link domain, so that links in "
                         "your messages are tracked.")));
    }

  if (plans_goal (in, "revenue"))
    {
      check = add (in, "results.orders", TC_READINESS_INFO, in->facts->n_conversions > 0,
                   "contacts:import", "goals");
      if (check->passed)
        say (check, g_strdup (_("Orders reach Textcast")),
             g_strdup (_("Revenue is credited to the messages that brought it.")));
      else
        say (check, g_strdup (_("Textcast has not seen an order yet")),
             g_strdup (_("To see what your messages earn, send your shop’s orders to Textcast: "
                         "connect its webhooks to the HTTP endpoint, or import orders as events.")));
    }
}

static gint
compare_checks (gconstpointer a,
                gconstpointer b)
{
  const TcReadinessCheck *x = *(TcReadinessCheck * const *) a;
  const TcReadinessCheck *y = *(TcReadinessCheck * const *) b;

  if (x->passed != y->passed)
    return x->passed ? 1 : -1;
  if (x->severity != y->severity)
    return x->severity > y->severity ? -1 : 1;

  return 0;
}

static TcReadinessReport *
build_report (Facts  *facts,
              gint64  now)
{
  TcReadinessReport *report = g_new0 (TcReadinessReport, 1);
  Inspection in = { 0, };
  guint total = 0, passed = 0;

  report->answers = tc_readiness_answers_new_from_table (facts->settings);
  report->checks = g_ptr_array_new_with_free_func ((GDestroyNotify) check_free);
  in.checks = report->checks;
  in.answers = report->answers;
  in.facts = facts;
  in.now = now;

  check_answers (&in);
  check_providers (&in);
  check_senders (&in);
  check_consent (&in);
  check_texts (&in);
  check_quiet_hours (&in);
  check_prices (&in);
  check_whatsapp (&in);
  check_goals (&in);

  /* Stable: checks of one severity keep the order above. */
  g_ptr_array_sort (report->checks, compare_checks);

  for (guint i = 0; i < report->checks->len; i++)
    {
      const TcReadinessCheck *check = g_ptr_array_index (report->checks, i);
      guint weight = tc_readiness_severity_weight (check->severity);

      total += weight;
      if (check->passed)
        passed += weight;
      else
        report->n_failed++;
    }

  /* Rounded down, so that 100 means nothing is left. */
  report->score = total > 0 ? passed * 100 / total : 100;

  return report;
}

/* ------------------------------------------------------------------------
 * Writing (worker thread)
 */

/* The settings a network check depends on, as one string (not secret:
 * ids and addresses, never a token). */
static char *
config_of (GHashTable *settings,
           const char *what)
{
  static const char * const twilio[] = {
    TC_SETTING_TWILIO_ACCOUNT_SID, TC_SETTING_TWILIO_FROM,
    TC_SETTING_TWILIO_MESSAGING_SERVICE_SID, TC_SETTING_TWILIO_BASE_URL, NULL,
  };
  static const char * const whatsapp[] = {
    TC_SETTING_WHATSAPP_PHONE_NUMBER_ID, TC_SETTING_WHATSAPP_WABA_ID,
    TC_SETTING_WHATSAPP_API_BASE, TC_SETTING_WHATSAPP_API_VERSION, NULL,
  };
  static const char * const webhooks[] = { TC_SETTING_HTTP_PUBLIC_URL, NULL };
  const char * const *keys;
  g_autoptr(GString) config = g_string_new (NULL);

  if (strcmp (what, "twilio") == 0)
    keys = twilio;
  else if (strcmp (what, "whatsapp") == 0)
    keys = whatsapp;
  else
    keys = webhooks;

  for (guint i = 0; keys[i] != NULL; i++)
    {
      const char *value = g_hash_table_lookup (settings, keys[i]);

      g_string_append_printf (config, "%s=%s\n", keys[i], value != NULL ? value : "");
    }

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, config->str, config->len);
}

static gboolean
write_setting (TcDb        *db,
               const char  *key,
               const char  *value,
               GError     **error)
{
  sqlite3_stmt *stmt;

  if (value == NULL || value[0] == '\0')
    stmt = _tc_db_prepare (db, "DELETE FROM settings WHERE key = ?1", error);
  else
    stmt = _tc_db_prepare (db,
                           "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)"
                           " ON CONFLICT (key) DO UPDATE SET"
                           "   value = excluded.value, updated_at = excluded.updated_at",
                           error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (value != NULL && value[0] != '\0')
    {
      sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
      /* Like tc-settings.c: the time a setting changed is bookkeeping, not
       * the workspace's clock. */
      sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
    }

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      return _tc_db_set_error (db, error, "Cannot save the setting");
    }
  sqlite3_reset (stmt);

  return TRUE;
}

static gpointer
save_answers_job (TcDb          *db,
                  gpointer       job_data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  TcReadinessAnswers *answers = job_data;

  if (!_tc_db_begin (db, error))
    return NULL;

  for (guint i = 0; i < TC_READINESS_N_ANSWERS; i++)
    {
      g_autofree char *key = NULL;

      if (answers->values[i] == NULL)
        continue;
      key = g_strconcat (TC_SETTING_READINESS_PREFIX, answer_names[i], NULL);
      if (!write_setting (db, key, answers->values[i], error))
        {
          _tc_db_rollback (db);
          return NULL;
        }
    }

  if (!_tc_db_commit (db, error))
    return NULL;

  return GINT_TO_POINTER (1);
}

typedef struct
{
  char     *what;
  gboolean  ok;
  char     *message;
  gint64    at;
} Record;

static void
record_free (Record *record)
{
  g_free (record->what);
  g_free (record->message);
  g_free (record);
}

static gpointer
record_job (TcDb          *db,
            gpointer       job_data,
            GCancellable  *cancellable,
            GError       **error)
{
  Record *record = job_data;
  g_autoptr(GHashTable) settings = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *config = NULL;
  g_autofree char *json = NULL;
  g_autofree char *key = NULL;

  if (!_tc_db_begin (db, error))
    return NULL;
  settings = read_settings (db, error);
  if (settings == NULL)
    {
      _tc_db_rollback (db);
      return NULL;
    }
  config = config_of (settings, record->what);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, record->ok);
  json_builder_set_member_name (builder, "at");
  json_builder_add_int_value (builder, record->at);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, record->message != NULL ? record->message : "");
  json_builder_set_member_name (builder, "config");
  json_builder_add_string_value (builder, config);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);

  key = g_strconcat (TC_SETTING_READINESS_TEST_PREFIX, record->what, NULL);
  if (!write_setting (db, key, json, error))
    {
      _tc_db_rollback (db);
      return NULL;
    }

  if (!_tc_db_commit (db, error))
    return NULL;

  return GINT_TO_POINTER (1);
}

/* ------------------------------------------------------------------------
 * Main-thread side
 */

static void
on_boolean_job_done_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (_tc_repository_run_finish (TC_REPOSITORY (object), result, &error) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
tc_readiness_save_answers_async (TcRepository             *repository,
                                 const TcReadinessAnswers *answers,
                                 GCancellable             *cancellable,
                                 GAsyncReadyCallback       callback,
                                 gpointer                  user_data)
{
  g_autoptr(TcReadinessAnswers) normalized = tc_readiness_answers_new ();
  GTask *task;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (answers != NULL);

  task = g_task_new (repository, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_readiness_save_answers_async);

  for (guint i = 0; i < TC_READINESS_N_ANSWERS; i++)
    {
      GError *error = NULL;

      if (answers->values[i] == NULL)
        continue;
      normalized->values[i] = tc_readiness_answer_normalize (i, answers->values[i], &error);
      if (normalized->values[i] == NULL)
        {
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
    }

  _tc_repository_run_async_full (repository, TC_DB_JOB_WRITE, save_answers_job,
                                 g_steal_pointer (&normalized),
                                 (GDestroyNotify) tc_readiness_answers_free, NULL, FALSE,
                                 cancellable, on_boolean_job_done_cb, task);
}

gboolean
tc_readiness_save_answers_finish (TcRepository  *repository,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, repository), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_inspected_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(Facts) facts = NULL;
  GError *error = NULL;
  gint64 *now = g_task_get_task_data (task);

  facts = _tc_repository_run_finish (TC_REPOSITORY (object), result, &error);
  if (facts == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, build_report (facts, *now),
                         (GDestroyNotify) tc_readiness_report_free);
}

void
tc_readiness_inspect_async (TcRepository        *repository,
                            gint64               now,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TC_IS_REPOSITORY (repository));

  task = g_task_new (repository, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_readiness_inspect_async);
  g_task_set_task_data (task, g_memdup2 (&now, sizeof now), g_free);

  _tc_repository_run_async_full (repository, TC_DB_JOB_READ, inspect_job, NULL, NULL,
                                 (GDestroyNotify) facts_free, FALSE, cancellable,
                                 on_inspected_cb, task);
}

TcReadinessReport *
tc_readiness_inspect_finish (TcRepository  *repository,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (g_task_is_valid (result, repository), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tc_readiness_record_test_async (TcRepository        *repository,
                                const char          *what,
                                gboolean             ok,
                                const char          *message,
                                gint64               at,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  Record *record;
  GTask *task;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (g_strcmp0 (what, "twilio") == 0 || g_strcmp0 (what, "whatsapp") == 0 ||
                    g_strcmp0 (what, "webhooks") == 0);

  task = g_task_new (repository, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_readiness_record_test_async);

  record = g_new0 (Record, 1);
  record->what = g_strdup (what);
  record->ok = ok;
  record->message = g_strdup (message);
  record->at = at;

  _tc_repository_run_async_full (repository, TC_DB_JOB_WRITE, record_job, record,
                                 (GDestroyNotify) record_free, NULL, FALSE, cancellable,
                                 on_boolean_job_done_cb, task);
}

gboolean
tc_readiness_record_test_finish (TcRepository  *repository,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, repository), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
