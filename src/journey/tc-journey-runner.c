/* tc-journey-runner.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The journey runner (tc-journey-runner.h; DESIGN.md, "The journey
 * runner"). A tick is one writer transaction: new events (after the cursor
 * kept in the settings table) enrol, convert and wake; then due
 * enrollments execute node after node until they wait, end or the tick's
 * step budget is spent. Everything a tick does — outbox rows, contact
 * updates, the enrollments' new nodes and due times, the cursor — commits
 * together or not at all.
 */

#define G_LOG_DOMAIN "tc-journey-runner"

#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "tc-compose.h"
#include "tc-consent-ledger.h"
#include "tc-contact.h"
#include "tc-gate-check.h"
#include "tc-gate.h"
#include "tc-journey-runner.h"
#include "tc-journey.h"
#include "tc-keywords.h"
#include "tc-links.h"
#include "tc-mustache.h"
#include "tc-outbox.h"
#include "tc-phone.h"
#include "tc-repository-private.h"
#include "tc-segment.h"
#include "tc-settings.h"
#include "tc-short-links.h"
#include "tc-template-store.h"
#include "tc-template.h"

/* Where the runner keeps the id of the last event it has read. */
#define CURSOR_SETTING "journeys.event_cursor"
/* The same for consent events (opt-ins) and inbound messages (keywords). */
#define CONSENT_CURSOR_SETTING "journeys.consent_cursor"
#define INBOUND_CURSOR_SETTING "journeys.inbound_cursor"
/* The reserved member of an enrollment's context holding the runner's
 * bookkeeping (step count, per-node tallies, a wait's deadline). */
#define RUNNER_MEMBER "_runner"
/* Node executions one enrollment may take in one tick before it yields
 * (a loop through waits for events that have already happened). */
#define MAX_STEPS_PER_ENROLLMENT 100
/* An event enrols when it was recorded after the journey was first
 * activated and had happened at most this long before it was recorded (a
 * late webhook), so that importing old history enrols nobody. */
#define LATE_EVENT_SECONDS (24 * 3600)

/* ------------------------------------------------------------------------
 * Clock
 */

struct _TcJourneyClock
{
  gboolean simulated;
  gint64   now;
};

TcJourneyClock *
tc_journey_clock_new_real (void)
{
  return g_new0 (TcJourneyClock, 1);
}

TcJourneyClock *
tc_journey_clock_new_simulated (gint64 start)
{
  TcJourneyClock *clock = g_new0 (TcJourneyClock, 1);

  clock->simulated = TRUE;
  clock->now = start;

  return clock;
}

void
tc_journey_clock_free (TcJourneyClock *clock)
{
  g_free (clock);
}

gboolean
tc_journey_clock_is_simulated (TcJourneyClock *clock)
{
  g_return_val_if_fail (clock != NULL, FALSE);

  return clock->simulated;
}

gint64
tc_journey_clock_now (TcJourneyClock *clock)
{
  g_return_val_if_fail (clock != NULL, 0);

  if (clock->simulated)
    return clock->now;

  return g_get_real_time () / G_USEC_PER_SEC;
}

void
tc_journey_clock_jump (TcJourneyClock *clock,
                       gint64          time)
{
  g_return_if_fail (clock != NULL);

  if (clock->simulated && time > clock->now)
    clock->now = time;
}

/* ------------------------------------------------------------------------
 * JSON helpers: event properties and filters
 */

/* The text form of a scalar, for comparisons; NULL for objects, arrays
 * and null. */
static char *
value_text (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
      }
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    default:
      return NULL;
    }
}

/* A number, or a text that is one. */
static gboolean
value_number (JsonNode *node,
              double   *number)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *number = (double) json_node_get_int (node);
      return TRUE;
    case G_TYPE_DOUBLE:
      *number = json_node_get_double (node);
      return TRUE;
    case G_TYPE_STRING:
      {
        const char *text = json_node_get_string (node);
        char *end = NULL;

        if (text[0] == '\0')
          return FALSE;
        *number = g_ascii_strtod (text, &end);
        return end != NULL && *end == '\0';
      }
    default:
      return FALSE;
    }
}

/* @property, with dots walking into objects ("cart.total"). */
static JsonNode *
lookup_property (JsonObject *properties,
                 const char *property)
{
  g_auto(GStrv) parts = NULL;
  JsonNode *node = NULL;

  if (properties == NULL)
    return NULL;
  if (json_object_has_member (properties, property))
    return json_object_get_member (properties, property);

  parts = g_strsplit (property, ".", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (properties == NULL || !json_object_has_member (properties, parts[i]))
        return NULL;
      node = json_object_get_member (properties, parts[i]);
      properties = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
    }

  return node;
}

static gboolean
filter_matches (JsonObject *filter,
                JsonObject *properties)
{
  const char *op = json_object_get_string_member (filter, "op");
  JsonNode *want = json_object_get_member (filter, "value");
  JsonNode *have = lookup_property (properties, json_object_get_string_member (filter, "property"));
  g_autofree char *have_text = NULL;
  g_autofree char *want_text = NULL;
  double have_number, want_number;

  if (strcmp (op, "exists") == 0)
    {
      gboolean exists = have != NULL && !JSON_NODE_HOLDS_NULL (have);

      return exists == (want == NULL || json_node_get_boolean (want));
    }
  if (have == NULL)
    return strcmp (op, "not_equals") == 0;

  if (strcmp (op, "gt") == 0 || strcmp (op, "gte") == 0 || strcmp (op, "lt") == 0 ||
      strcmp (op, "lte") == 0)
    {
      if (!value_number (have, &have_number) || !value_number (want, &want_number))
        return FALSE;
      if (strcmp (op, "gt") == 0)
        return have_number > want_number;
      if (strcmp (op, "gte") == 0)
        return have_number >= want_number;
      if (strcmp (op, "lt") == 0)
        return have_number < want_number;
      return have_number <= want_number;
    }

  want_text = value_text (want);
  if (strcmp (op, "contains") == 0)
    {
      if (JSON_NODE_HOLDS_ARRAY (have))
        {
          JsonArray *array = json_node_get_array (have);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              g_autofree char *element = value_text (json_array_get_element (array, i));

              if (element != NULL && want_text != NULL && strcmp (element, want_text) == 0)
                return TRUE;
            }
          return FALSE;
        }
      have_text = value_text (have);
      return have_text != NULL && want_text != NULL && strstr (have_text, want_text) != NULL;
    }

  /* equals / not_equals: numbers as numbers (3 equals 3.0 and "3"), else
   * the text forms. */
  if (value_number (have, &have_number) && value_number (want, &want_number) &&
      !(JSON_NODE_HOLDS_VALUE (want) && json_node_get_value_type (want) == G_TYPE_STRING &&
        JSON_NODE_HOLDS_VALUE (have) && json_node_get_value_type (have) == G_TYPE_STRING))
    return (have_number == want_number) == (strcmp (op, "equals") == 0);
  have_text = value_text (have);
  return (have_text != NULL && want_text != NULL && strcmp (have_text, want_text) == 0)
         == (strcmp (op, "equals") == 0);
}

static gboolean
filters_match (JsonArray  *filters,
               JsonObject *properties)
{
  if (filters == NULL)
    return TRUE;

  for (guint i = 0; i < json_array_get_length (filters); i++)
    if (!filter_matches (json_array_get_object_element (filters, i), properties))
      return FALSE;

  return TRUE;
}

static JsonArray *
config_filters (JsonObject *config)
{
  JsonNode *node = json_object_get_member (config, "filters");

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static const char *
config_string (JsonObject *config,
               const char *member,
               const char *fallback)
{
  JsonNode *node = json_object_get_member (config, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return fallback;

  return json_node_get_string (node);
}

static gint64
config_int (JsonObject *config,
            const char *member)
{
  JsonNode *node = json_object_get_member (config, member);
  double number = 0;

  if (node == NULL || !value_number (node, &number))
    return 0;

  return (gint64) number;
}

/* @parser and @generator are reused: one of each per tick is much cheaper
 * than one per enrollment. */
static JsonObject *
parse_object (JsonParser *parser,
              const char *text)
{
  JsonNode *node;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return json_object_new ();
  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return json_object_new ();

  return json_object_ref (json_node_get_object (node));
}

static char *
object_to_string (JsonGenerator *generator,
                  JsonObject    *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  char *text;

  json_node_set_object (node, object);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  json_generator_set_root (generator, NULL);

  return text;
}

/* ------------------------------------------------------------------------
 * The tick's state
 */

typedef struct
{
  gint64     id;
  int        active_version;
  gint64     first_activated;
  TcJourney *active;             /* the active version (owned by versions) */
} ActiveJourney;

typedef struct
{
  TcDb                 *db;
  TcJourneyTickOptions  options;
  TcJourneyTick         tick;
  GHashTable           *versions;    /* "journey:version" → TcJourney */
  GHashTable           *composers;   /* "channel\x1fpurpose\x1fname" → TcComposer (or absent) */
  GHashTable           *settings;
  TcGatePolicy         *policy;
  GArray               *journeys;    /* ActiveJourney of the active journeys */
  GHashTable           *watched;     /* event names that are goals or waits */
  JsonParser           *parser;
  JsonGenerator        *generator;
  guint                 steps_done;
} Tick;

static void
tick_clear (Tick *tick)
{
  g_clear_pointer (&tick->versions, g_hash_table_unref);
  g_clear_pointer (&tick->composers, g_hash_table_unref);
  g_clear_pointer (&tick->settings, g_hash_table_unref);
  g_clear_pointer (&tick->policy, tc_gate_policy_free);
  g_clear_pointer (&tick->journeys, g_array_unref);
  g_clear_pointer (&tick->watched, g_hash_table_unref);
  g_clear_object (&tick->parser);
  g_clear_object (&tick->generator);
}

static TcJourney *
load_version (Tick    *tick,
              gint64   journey_id,
              int      version,
              GError **error)
{
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT ":%d", journey_id, version);
  g_autoptr(TcJourney) journey = NULL;
  sqlite3_stmt *stmt;
  int rc;

  journey = g_hash_table_lookup (tick->versions, key);
  if (journey != NULL)
    return g_steal_pointer (&journey);

  stmt = _tc_db_prepare (tick->db,
                         "SELECT graph FROM journey_versions WHERE journey_id = ?1 AND version = ?2",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, journey_id);
  sqlite3_bind_int (stmt, 2, version);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    journey = tc_journey_new_from_data ((const char *) sqlite3_column_text (stmt, 0), -1, error);
  else if (rc == SQLITE_DONE)
    g_set_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_NOT_FOUND,
                 "Journey %" G_GINT64_FORMAT " has no version %d", journey_id, version);
  else
    _tc_db_set_error (tick->db, error, "Cannot read a journey version");
  sqlite3_reset (stmt);
  if (journey == NULL)
    return NULL;

  tc_journey_set_id (journey, journey_id);
  tc_journey_set_version (journey, version);
  g_hash_table_insert (tick->versions, g_steal_pointer (&key), journey);

  return g_steal_pointer (&journey);
}

static void
watch_journey (Tick      *tick,
               TcJourney *journey)
{
  for (guint i = 0; i < tc_journey_get_n_goals (journey); i++)
    g_hash_table_add (tick->watched, g_strdup (tc_journey_get_goal (journey, i)->event));
  for (guint i = 0; i < tc_journey_get_n_nodes (journey); i++)
    {
      const TcJourneyNode *node = tc_journey_get_node (journey, i);

      if (node->kind == TC_JOURNEY_NODE_WAIT_FOR_EVENT)
        g_hash_table_add (tick->watched, g_strdup (config_string (node->config, "event", "")));
    }
}

/* The active journeys with their active version, and every activated
 * version of a journey that is not a draft (their goals and waits). */
static gboolean
load_journeys (Tick    *tick,
               GError **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (gint64) * 2);
  int rc;

  stmt = _tc_db_prepare (tick->db,
                         "SELECT j.id, coalesce (j.active_version, 0),"
                         "  (SELECT min (v.activated_at) FROM journey_versions v WHERE v.journey_id = j.id)"
                         " FROM journeys j WHERE j.state = 'active' ORDER BY j.id",
                         error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ActiveJourney active = { 0, };

      active.id = sqlite3_column_int64 (stmt, 0);
      active.active_version = sqlite3_column_int (stmt, 1);
      active.first_activated = sqlite3_column_int64 (stmt, 2);
      if (active.active_version > 0)
        g_array_append_val (tick->journeys, active);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _tc_db_set_error (tick->db, error, "Cannot list the active journeys");

  for (guint i = 0; i < tick->journeys->len; i++)
    {
      ActiveJourney *active = &g_array_index (tick->journeys, ActiveJourney, i);

      active->active = load_version (tick, active->id, active->active_version, error);
      if (active->active == NULL)
        return FALSE;
    }

  stmt = _tc_db_prepare (tick->db,
                         "SELECT v.journey_id, v.version FROM journey_versions v"
                         " JOIN journeys j ON j.id = v.journey_id"
                         " WHERE j.state <> 'draft' AND v.activated_at IS NOT NULL",
                         error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 pair[2] = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1) };

      g_array_append_vals (pairs, pair, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _tc_db_set_error (tick->db, error, "Cannot list the journey versions");

  for (guint i = 0; i < pairs->len; i++)
    {
      gint64 *pair = &((gint64 *) pairs->data)[i * 2];
      TcJourney *journey = load_version (tick, pair[0], (int) pair[1], error);

      if (journey == NULL)
        return FALSE;
      watch_journey (tick, journey);
    }

  return TRUE;
}

/* ------------------------------------------------------------------------
 * Enrollments
 */

typedef struct
{
  gint64      id;
  gint64      journey_id;
  int         version;
  gint64      contact_id;
  char       *node;
  char       *state;
  gint64      due_at;       /* 0: none */
  gint64      entered_at;
  gint64      finished_at;
  JsonObject *context;      /* the trigger's properties + RUNNER_MEMBER */
  TcContact  *contact;      /* loaded when needed */
  gboolean    contact_gone;
} Enrollment;

static void
enrollment_clear (Enrollment *en)
{
  g_clear_pointer (&en->node, g_free);
  g_clear_pointer (&en->state, g_free);
  g_clear_pointer (&en->context, json_object_unref);
  g_clear_object (&en->contact);
}

static JsonObject *
runner_data (Enrollment *en)
{
  JsonNode *node = json_object_get_member (en->context, RUNNER_MEMBER);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      json_object_set_object_member (en->context, RUNNER_MEMBER, json_object_new ());
      node = json_object_get_member (en->context, RUNNER_MEMBER);
    }

  return json_node_get_object (node);
}

static gint64
runner_step (Enrollment *en)
{
  return config_int (runner_data (en), "step");
}

static void
runner_count (Enrollment *en,
              const char *tally,
              const char *node)
{
  JsonObject *data = runner_data (en);
  JsonObject *counts;

  if (!json_object_has_member (data, tally) ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (data, tally)))
    json_object_set_object_member (data, tally, json_object_new ());
  counts = json_object_get_object_member (data, tally);
  json_object_set_int_member (counts, node, config_int (counts, node) + 1);
}

static TcContact *
enrollment_contact (Tick        *tick,
                    Enrollment  *en,
                    GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (en->contact != NULL || en->contact_gone)
    return en->contact;

  en->contact = _tc_db_load_contact (tick->db, en->contact_id, &local_error);
  if (en->contact == NULL)
    {
      if (!g_error_matches (local_error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      en->contact_gone = TRUE;
    }

  return en->contact;
}

/* The trigger's properties alone: what templates see as {{event.…}}. */
static JsonObject *
event_properties (Enrollment *en)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, en->context);
  while (json_object_iter_next (&iter, &name, &value))
    if (strcmp (name, RUNNER_MEMBER) != 0)
      json_object_set_member (copy, name, json_node_copy (value));

  return copy;
}

/* Enrols @contact_id into @journey's active version with @properties as
 * the context. @source_key names what enrolled them, unique per journey:
 * "e<event id>" for an event, "k<inbound id>" for a keyword, "o<consent
 * event id>" for an opt-in, "d<contact>:<year>" for a date, "s<contact>:
 * <time>" for a segment; the "once" policy uses "c<contact>" instead.
 * @event_id is the event's id (0 when the trigger is not an event). */
static gboolean
enrol_with_key (Tick          *tick,
                ActiveJourney *journey,
                const char    *source_key,
                gint64         event_id,
                gint64         contact_id,
                JsonObject    *properties,
                GError       **error)
{
  g_autoptr(JsonObject) context = json_object_new ();
  g_autofree char *entry_key = NULL;
  g_autofree char *context_text = NULL;
  JsonObject *data;
  const TcJourneyNode *trigger = tc_journey_get_trigger (journey->active);
  gint64 now = tick->options.now;
  sqlite3_stmt *stmt;
  TcJourneyReentry reentry;
  guint days = 0;
  int rc;

  if (properties != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, properties);
      while (json_object_iter_next (&iter, &name, &value))
        json_object_set_member (context, name, json_node_copy (value));
    }

  reentry = tc_journey_get_reentry (journey->active, &days);
  if (reentry == TC_JOURNEY_REENTRY_ONCE)
    entry_key = g_strdup_printf ("c%" G_GINT64_FORMAT, contact_id);
  else
    entry_key = g_strdup (source_key);

  if (reentry == TC_JOURNEY_REENTRY_ONCE_PER_DAYS)
    {
      gboolean recent;

      stmt = _tc_db_prepare (tick->db,
                             "SELECT 1 FROM journey_enrollments"
                             " WHERE contact_id = ?1 AND journey_id = ?2 AND entered_at > ?3"
                             " LIMIT 1",
                             error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, contact_id);
      sqlite3_bind_int64 (stmt, 2, journey->id);
      sqlite3_bind_int64 (stmt, 3, now - (gint64) days * 24 * 3600);
      rc = sqlite3_step (stmt);
      recent = rc == SQLITE_ROW;
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return _tc_db_set_error (tick->db, error, "Cannot read a contact's journey entries");
      if (recent)
        return TRUE;
    }

  json_object_remove_member (context, RUNNER_MEMBER);
  data = json_object_new ();
  if (event_id > 0)
    json_object_set_int_member (data, "event", event_id);
  json_object_set_string_member (data, "source", source_key);
  json_object_set_int_member (data, "step", 0);
  json_object_set_object_member (context, RUNNER_MEMBER, data);
  context_text = object_to_string (tick->generator, context);

  stmt = _tc_db_prepare (tick->db,
                         "INSERT INTO journey_enrollments (journey_id, version, contact_id, node,"
                         "  state, due_at, context, entry_key, entered_at, updated_at)"
                         " VALUES (?1, ?2, ?3, ?4, 'active', ?5, ?6, ?7, ?5, ?5)"
                         " ON CONFLICT (journey_id, entry_key) DO NOTHING",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, journey->id);
  sqlite3_bind_int (stmt, 2, journey->active_version);
  sqlite3_bind_int64 (stmt, 3, contact_id);
  sqlite3_bind_text (stmt, 4, trigger->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, now);
  sqlite3_bind_text (stmt, 6, context_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, entry_key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _tc_db_set_error (tick->db, error, "Cannot enrol a contact into a journey");
  if (sqlite3_changes (_tc_db_get_handle (tick->db)) > 0)
    tick->tick.enrolled++;

  return TRUE;
}

static gboolean
enrol (Tick          *tick,
       ActiveJourney *journey,
       gint64         event_id,
       gint64         contact_id,
       const char    *properties,
       GError       **error)
{
  g_autoptr(JsonObject) context = parse_object (tick->parser, properties);
  g_autofree char *key = g_strdup_printf ("e%" G_GINT64_FORMAT, event_id);

  return enrol_with_key (tick, journey, key, event_id, contact_id, context, error);
}

static gboolean
trigger_reads_properties (const TcJourneyNode *trigger)
{
  JsonArray *filters = config_filters (trigger->config);

  return (filters != NULL && json_array_get_length (filters) > 0) ||
         json_object_has_member (trigger->config, "channel") ||
         json_object_has_member (trigger->config, "product");
}

static gboolean
trigger_matches (const TcJourneyNode *trigger,
                 const char          *name,
                 JsonObject          *properties)
{
  const char *channel, *product;
  JsonNode *have;

  if (strcmp (config_string (trigger->config, "event", ""), name) != 0)
    return FALSE;

  /* opted_in for one channel, back_in_stock for one product: the event
   * names them in its properties. */
  channel = config_string (trigger->config, "channel", NULL);
  if (channel != NULL && (have = lookup_property (properties, "channel")) != NULL)
    {
      g_autofree char *text = value_text (have);

      if (text == NULL || strcmp (text, channel) != 0)
        return FALSE;
    }
  product = config_string (trigger->config, "product", NULL);
  if (product != NULL)
    {
      g_autofree char *text = value_text (lookup_property (properties, "product"));

      if (text == NULL || strcmp (text, product) != 0)
        return FALSE;
    }

  return filters_match (config_filters (trigger->config), properties);
}

static gboolean
goal_matches (TcJourney  *journey,
              const char *name,
              JsonObject *properties)
{
  for (guint i = 0; i < tc_journey_get_n_goals (journey); i++)
    {
      const TcJourneyGoal *goal = tc_journey_get_goal (journey, i);

      if (strcmp (goal->event, name) == 0 && filters_match (goal->filters, properties))
        return TRUE;
    }

  return FALSE;
}

/* A goal ends the contact's live enrollments whose version has it as a
 * goal; a wait for this event is made due now. */
static gboolean
event_reaches_enrollments (Tick        *tick,
                           gint64       contact_id,
                           const char  *name,
                           gint64       occurred_at,
                           JsonObject  *properties,
                           GError     **error)
{
  g_autoptr(GArray) converts = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) wakes = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  stmt = _tc_db_prepare (tick->db,
                         "SELECT id, journey_id, version, node, state, entered_at"
                         " FROM journey_enrollments"
                         " WHERE contact_id = ?1 AND state IN ('active', 'waiting')",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, contact_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT ":%d",
                                              (gint64) sqlite3_column_int64 (stmt, 1),
                                              sqlite3_column_int (stmt, 2));
      TcJourney *journey = g_hash_table_lookup (tick->versions, key);
      const TcJourneyNode *node;

      /* Only versions of journeys that are not drafts are loaded. */
      if (journey == NULL || occurred_at < sqlite3_column_int64 (stmt, 5))
        continue;
      if (goal_matches (journey, name, properties))
        {
          g_array_append_val (converts, id);
          continue;
        }
      node = tc_journey_lookup_node (journey, (const char *) sqlite3_column_text (stmt, 3));
      if (node != NULL && node->kind == TC_JOURNEY_NODE_WAIT_FOR_EVENT &&
          strcmp ((const char *) sqlite3_column_text (stmt, 4), "waiting") == 0 &&
          strcmp (config_string (node->config, "event", ""), name) == 0 &&
          filters_match (config_filters (node->config), properties))
        g_array_append_val (wakes, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _tc_db_set_error (tick->db, error, "Cannot read a contact's journeys");

  for (guint i = 0; i < converts->len; i++)
    {
      stmt = _tc_db_prepare (tick->db,
                             "UPDATE journey_enrollments SET state = 'converted', due_at = NULL,"
                             "  finished_at = ?2, updated_at = ?2"
                             " WHERE id = ?1 AND state IN ('active', 'waiting')",
                             error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, g_array_index (converts, gint64, i));
      sqlite3_bind_int64 (stmt, 2, tick->options.now);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return _tc_db_set_error (tick->db, error, "Cannot record a journey conversion");
      tick->tick.converted += sqlite3_changes (_tc_db_get_handle (tick->db));
    }
  for (guint i = 0; i < wakes->len; i++)
    {
      stmt = _tc_db_prepare (tick->db,
                             "UPDATE journey_enrollments SET due_at = min (due_at, ?2) WHERE id = ?1",
                             error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, g_array_index (wakes, gint64, i));
      sqlite3_bind_int64 (stmt, 2, tick->options.now);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return _tc_db_set_error (tick->db, error, "Cannot wake a journey waiting for an event");
    }

  return TRUE;
}

static gboolean
read_events (Tick    *tick,
             GError **error)
{
  g_autofree char *cursor_text = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 cursor = 0, last;
  guint limit = tick->options.max_events > 0 ? tick->options.max_events : 5000;
  typedef struct
  {
    gint64  id;
    gint64  contact_id;
    char   *name;
    gint64  occurred_at;
    gint64  recorded_at;
    char   *properties;
  } Row;
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (Row));
  sqlite3_stmt *stmt;
  int rc;

  cursor_text = _tc_db_get_setting (tick->db, CURSOR_SETTING, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (cursor_text != NULL)
    cursor = g_ascii_strtoll (cursor_text, NULL, 10);
  last = cursor;

  stmt = _tc_db_prepare (tick->db,
                         "SELECT id, contact_id, name, occurred_at, recorded_at, properties"
                         " FROM events WHERE id > ?1 ORDER BY id LIMIT ?2",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, cursor);
  sqlite3_bind_int64 (stmt, 2, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Row row;

      row.id = sqlite3_column_int64 (stmt, 0);
      row.contact_id = sqlite3_column_int64 (stmt, 1);
      row.name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      row.occurred_at = sqlite3_column_int64 (stmt, 3);
      row.recorded_at = sqlite3_column_int64 (stmt, 4);
      row.properties = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      g_array_append_val (rows, row);
    }
  sqlite3_reset (stmt);

  for (guint i = 0; i < rows->len && rc == SQLITE_DONE; i++)
    {
      Row *row = &g_array_index (rows, Row, i);
      g_autoptr(JsonObject) properties = NULL;
      gboolean ok = TRUE;

      last = row->id;
      tick->tick.events++;
      for (guint j = 0; j < tick->journeys->len && ok; j++)
        {
          ActiveJourney *journey = &g_array_index (tick->journeys, ActiveJourney, j);
          const TcJourneyNode *trigger = tc_journey_get_trigger (journey->active);

          if (trigger == NULL ||
              strcmp (config_string (trigger->config, "event", ""), row->name) != 0 ||
              row->recorded_at < journey->first_activated ||
              row->occurred_at < row->recorded_at - LATE_EVENT_SECONDS)
            continue;
          if (properties == NULL && trigger_reads_properties (trigger))
            properties = parse_object (tick->parser, row->properties);
          if (trigger_matches (trigger, row->name, properties))
            ok = enrol (tick, journey, row->id, row->contact_id, row->properties, error);
        }
      if (ok && g_hash_table_contains (tick->watched, row->name))
        {
          if (properties == NULL)
            properties = parse_object (tick->parser, row->properties);
          ok = event_reaches_enrollments (tick, row->contact_id, row->name, row->occurred_at,
                                          properties, error);
        }
      if (!ok)
        rc = SQLITE_ERROR;
    }
  for (guint i = 0; i < rows->len; i++)
    {
      g_free (g_array_index (rows, Row, i).name);
      g_free (g_array_index (rows, Row, i).properties);
    }
  if (rc != SQLITE_DONE)
    {
      if (error != NULL && *error == NULL)
        _tc_db_set_error (tick->db, error, "Cannot read new events");
      return FALSE;
    }
  if (rows->len == limit)
    tick->tick.more = TRUE;

  if (last != cursor)
    {
      g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, last);

      stmt = _tc_db_prepare (tick->db,
                             "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)"
                             " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
                             "  updated_at = excluded.updated_at",
                             error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, CURSOR_SETTING, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, tick->options.now);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return _tc_db_set_error (tick->db, error, "Cannot remember the last event read");
    }

  return TRUE;
}

/* Whether the contact had event @name (matching @filters) since entering. */
static gboolean
event_since_entry (Tick        *tick,
                   Enrollment  *en,
                   const char  *name,
                   JsonArray   *filters,
                   gboolean    *found,
                   GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *found = FALSE;
  stmt = _tc_db_prepare (tick->db,
                         "SELECT properties FROM events"
                         " WHERE contact_id = ?1 AND name = ?2 AND occurred_at >= ?3",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, en->contact_id);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, en->entered_at);
  while (!*found && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JsonObject) properties = NULL;

      if (filters == NULL || json_array_get_length (filters) == 0)
        {
          *found = TRUE;
          break;
        }
      properties = parse_object (tick->parser, (const char *) sqlite3_column_text (stmt, 0));
      *found = filters_match (filters, properties);
    }
  if (*found)
    rc = SQLITE_DONE;
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _tc_db_set_error (tick->db, error, "Cannot read the contact's events");

  return TRUE;
}

/* ------------------------------------------------------------------------
 * Node execution
 */

typedef enum
{
  OUTCOME_MOVE,     /* through @port; @due > now: the next node waits until then */
  OUTCOME_WAIT,     /* stay, state waiting, until @due */
  OUTCOME_FINISH,   /* @state */
} OutcomeKind;

typedef struct
{
  OutcomeKind  kind;
  const char  *port;
  gint64       due;
  const char  *state;
} Outcome;

static const char * const weekday_names[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

/* The contact's zone: the first stored one, else the phone's, else UTC. */
static GTimeZone *zone_for (const char *timezones,
                            const char *phone);

static GTimeZone *
contact_zone (TcContact *contact)
{
  const char * const *zones = contact != NULL ? tc_contact_get_timezones (contact) : NULL;

  return zone_for (zones != NULL ? zones[0] : NULL,
                   contact != NULL ? tc_contact_get_phone (contact) : NULL);
}

static int
minutes_of (const char *hhmm)
{
  return hhmm != NULL && strlen (hhmm) == 5
         ? ((hhmm[0] - '0') * 10 + (hhmm[1] - '0')) * 60 + (hhmm[3] - '0') * 10 + (hhmm[4] - '0')
         : -1;
}

/* The first moment at or after @now inside the window @until (from, to,
 * days) in @zone: @now itself when inside it. */
static gint64
window_time (JsonObject *until,
             GTimeZone  *zone,
             gint64      now)
{
  int from = minutes_of (config_string (until, "from", NULL));
  int to = minutes_of (config_string (until, "to", NULL));
  JsonNode *days_node = json_object_get_member (until, "days");
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_utc (now);
  guint days = 0x7f;
  g_autoptr(GDateTime) here = NULL;

  if (days_node != NULL && JSON_NODE_HOLDS_ARRAY (days_node))
    {
      JsonArray *array = json_node_get_array (days_node);

      days = 0;
      for (guint i = 0; i < json_array_get_length (array); i++)
        for (guint d = 0; d < 7; d++)
          if (strcmp (json_array_get_string_element (array, i), weekday_names[d]) == 0)
            days |= 1u << d;
    }

  here = g_date_time_to_timezone (local, zone);
  for (int offset = -1; offset <= 8; offset++)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (here, offset);
      g_autoptr(GDateTime) start = NULL;
      gint64 start_at, end_at;
      int weekday = g_date_time_get_day_of_week (day) - 1;

      if (!(days & (1u << weekday)))
        continue;
      start = g_date_time_new (zone, g_date_time_get_year (day), g_date_time_get_month (day),
                               g_date_time_get_day_of_month (day), from / 60, from % 60, 0);
      if (start == NULL)
        continue;
      start_at = g_date_time_to_unix (start);
      /* Without "to" the window is the moment "from"; a "to" before
       * "from" runs past midnight. */
      if (to < 0)
        end_at = start_at;
      else if (to > from)
        end_at = start_at + (gint64) (to - from) * 60;
      else
        end_at = start_at + (gint64) (24 * 60 - from + to) * 60;
      if (now >= start_at && now < end_at)
        return now;
      if (start_at >= now)
        return start_at;
    }

  return now;
}

/* ------------------------------------------------------------------------
 * Triggers that are not events: opt-ins (consent_events), keywords
 * (inbound_messages), a date attribute (the contacts' attributes) and
 * entering a saved segment. Each remembers where it got to in the settings
 * table (schema 11 has no place for it); losing that is harmless, as the
 * entry keys make a second enrollment from the same source impossible.
 */

static gboolean
get_int_setting (Tick        *tick,
                 const char  *key,
                 gint64      *value,
                 gboolean    *found,
                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = _tc_db_get_setting (tick->db, key, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *value = text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;
  if (found != NULL)
    *found = text != NULL;

  return TRUE;
}

static gboolean
put_setting (Tick        *tick,
             const char  *key,
             const char  *value,
             GError     **error)
{
  sqlite3_stmt *stmt = _tc_db_prepare (tick->db,
                                       "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)"
                                       " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
                                       "  updated_at = excluded.updated_at",
                                       error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, tick->options.now);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _tc_db_set_error (tick->db, error, "Cannot remember where the journeys got to");

  return TRUE;
}

static gboolean
put_int_setting (Tick        *tick,
                 const char  *key,
                 gint64       value,
                 GError     **error)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  return put_setting (tick, key, text, error);
}

/* Where a source is read from: the cursor in @setting, or, when no
 * active journey has a trigger on @event, nowhere (*@listen FALSE; the
 * cursor moves to the end of @table). The first time a journey listens,
 * the rows recorded (@time_column) since its activation are read. */
static gboolean
start_cursor (Tick        *tick,
              const char  *setting,
              const char  *table,
              const char  *time_column,
              const char  *event,
              gint64      *cursor,
              gboolean    *listen,
              GError     **error)
{
  g_autofree char *sql = NULL;
  gboolean found = FALSE;
  gint64 first = G_MAXINT64, end;
  sqlite3_stmt *stmt;
  int rc;

  if (!get_int_setting (tick, setting, cursor, &found, error))
    return FALSE;
  *listen = FALSE;
  for (guint j = 0; j < tick->journeys->len; j++)
    {
      ActiveJourney *journey = &g_array_index (tick->journeys, ActiveJourney, j);
      const TcJourneyNode *trigger = tc_journey_get_trigger (journey->active);

      if (trigger != NULL && strcmp (config_string (trigger->config, "event", ""), event) == 0)
        {
          *listen = TRUE;
          first = MIN (first, journey->first_activated);
        }
    }
  if (found && *listen)
    return TRUE;

  /* @table and @time_column are fixed names from this file. */
  sql = *listen ? g_strdup_printf ("SELECT coalesce (max (id), 0) FROM %s WHERE %s < ?1",
                                   table, time_column)
                : g_strdup_printf ("SELECT coalesce (max (id), 0) FROM %s", table);
  stmt = _tc_db_prepare (tick->db, sql, error);
  if (stmt == NULL)
    return FALSE;
  if (*listen)
    sqlite3_bind_int64 (stmt, 1, first);
  rc = sqlite3_step (stmt);
  end = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return _tc_db_set_error (tick->db, error, "Cannot find where to read from");
  if (found && end == *cursor)
    return TRUE;
  *cursor = end;

  return put_int_setting (tick, setting, end, error);
}

/* Whether something recorded at @recorded_at that happened at
 * @occurred_at may enrol into @journey: recorded after the journey was
 * first activated, and not history imported long after the fact. */
static gboolean
fresh_for (ActiveJourney *journey,
           gint64         occurred_at,
           gint64         recorded_at)
{
  return recorded_at >= journey->first_activated &&
         occurred_at >= recorded_at - LATE_EVENT_SECONDS;
}

/* Opt-ins: a consent event that leaves the contact opted in (opted_in,
 * confirmed — the YES of a double opt-in —, resubscribed) is the trigger
 * "opted_in", with channel, purpose, method and source as its properties.
 * (An event called opted_in sent through the events API enrols too.) */
static gboolean
read_consents (Tick    *tick,
               GError **error)
{
  gint64 cursor = 0, last;
  gboolean listen = FALSE;
  sqlite3_stmt *stmt;
  int rc;

  if (!start_cursor (tick, CONSENT_CURSOR_SETTING, "consent_events", "recorded_at", "opted_in",
                     &cursor, &listen, error))
    return FALSE;
  if (!listen)
    return TRUE;

  last = cursor;
  stmt = _tc_db_prepare (tick->db,
                         "SELECT id, contact_id, channel, purpose, method, source, occurred_at,"
                         "  recorded_at"
                         " FROM consent_events WHERE id > ?1 AND status = 'opted_in'"
                         "  AND kind IN ('opted_in', 'confirmed', 'resubscribed')"
                         " ORDER BY id LIMIT ?2",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, cursor);
  sqlite3_bind_int64 (stmt, 2, 5000);
  {
    typedef struct { gint64 id, contact_id, occurred_at, recorded_at; JsonObject *properties; } Row;
    g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (Row));
    gboolean ok = TRUE;

    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        Row row;

        row.id = sqlite3_column_int64 (stmt, 0);
        row.contact_id = sqlite3_column_int64 (stmt, 1);
        row.properties = json_object_new ();
        json_object_set_string_member (row.properties, "channel",
                                       (const char *) sqlite3_column_text (stmt, 2));
        json_object_set_string_member (row.properties, "purpose",
                                       (const char *) sqlite3_column_text (stmt, 3));
        json_object_set_string_member (row.properties, "method",
                                       (const char *) sqlite3_column_text (stmt, 4));
        json_object_set_string_member (row.properties, "source",
                                       (const char *) sqlite3_column_text (stmt, 5));
        row.occurred_at = sqlite3_column_int64 (stmt, 6);
        row.recorded_at = sqlite3_column_int64 (stmt, 7);
        g_array_append_val (rows, row);
      }
    sqlite3_reset (stmt);
    if (rc != SQLITE_DONE)
      ok = _tc_db_set_error (tick->db, error, "Cannot read the consent events");

    for (guint i = 0; i < rows->len; i++)
      {
        Row *row = &g_array_index (rows, Row, i);
        g_autofree char *key = g_strdup_printf ("o%" G_GINT64_FORMAT, row->id);

        last = row->id;
        for (guint j = 0; j < tick->journeys->len && ok; j++)
          {
            ActiveJourney *journey = &g_array_index (tick->journeys, ActiveJourney, j);
            const TcJourneyNode *trigger = tc_journey_get_trigger (journey->active);

            if (trigger != NULL && fresh_for (journey, row->occurred_at, row->recorded_at) &&
                trigger_matches (trigger, "opted_in", row->properties))
              ok = enrol_with_key (tick, journey, key, 0, row->contact_id, row->properties, error);
          }
        json_object_unref (row->properties);
      }
    if (!ok)
      return FALSE;
    if (rows->len == 5000)
      tick->tick.more = TRUE;
  }

  return last == cursor || put_int_setting (tick, CONSENT_CURSOR_SETTING, last, error);
}

/* What a keyword compares as: trimmed of spaces and punctuation around
 * it, accents dropped, upper case ("  Join! " → "JOIN"). */
static char *
keyword_norm (const char *text)
{
  g_autofree char *ascii = g_str_to_ascii (text != NULL ? text : "", "C");
  char *start = ascii, *end;

  while (*start != '\0' && (g_ascii_isspace (*start) || g_ascii_ispunct (*start)))
    start++;
  end = start + strlen (start);
  while (end > start && (g_ascii_isspace (end[-1]) || g_ascii_ispunct (end[-1])))
    end--;

  return g_ascii_strup (start, end - start);
}

/* The workspace's keyword lists (built-in ones plus settings). */
static TcKeywords *
load_keywords (Tick    *tick,
               GError **error)
{
  g_autoptr(GHashTable) settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) local_error = NULL;
  TcKeywords *keywords;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _tc_db_prepare (tick->db,
                         "SELECT key, value FROM settings WHERE key >= 'keywords.'"
                         " AND key < 'keywords/'",
                         error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (settings, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (tick->db, error, "Cannot read the keyword settings");
      return NULL;
    }
  keywords = tc_keywords_new_from_settings (settings, &local_error);

  return keywords != NULL ? keywords : tc_keywords_new_default ();
}

/* Whether @text says to stop: an opt-out word or sentence, or a custom
 * keyword that unsubscribes. Such a message never enrols. */
static gboolean
is_stop (const TcKeywords *keywords,
         const char       *text)
{
  TcKeywordMatch match;

  tc_keywords_classify (keywords, text, -1, &match);

  return match.action == TC_INBOUND_ACTION_OPT_OUT ||
         (match.action == TC_INBOUND_ACTION_KEYWORD && match.unsubscribes);
}

/* Keywords: an inbound message from a known contact whose whole text (or
 * the keyword it was read as) is the trigger's keyword, e.g. "JOIN",
 * enrols them, with keyword, body and channel as the properties. A message
 * that asks to stop never enrols, whatever the trigger says. */
static gboolean
read_inbound (Tick    *tick,
              GError **error)
{
  gint64 cursor = 0, last;
  gboolean listen = FALSE;
  g_autoptr(TcKeywords) keywords = NULL;
  typedef struct
  {
    gint64  id, contact_id, received_at;
    char   *channel, *body, *action, *keyword;
  } Row;
  g_autoptr(GArray) rows = NULL;
  gboolean ok = TRUE;
  sqlite3_stmt *stmt;
  int rc;

  if (!start_cursor (tick, INBOUND_CURSOR_SETTING, "inbound_messages", "received_at", "keyword",
                     &cursor, &listen, error))
    return FALSE;
  if (!listen)
    return TRUE;

  last = cursor;
  rows = g_array_new (FALSE, TRUE, sizeof (Row));
  stmt = _tc_db_prepare (tick->db,
                         "SELECT id, coalesce (contact_id, 0), received_at, channel, body, action,"
                         "  keyword"
                         " FROM inbound_messages WHERE id > ?1 ORDER BY id LIMIT ?2",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, cursor);
  sqlite3_bind_int64 (stmt, 2, 5000);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Row row;

      row.id = sqlite3_column_int64 (stmt, 0);
      row.contact_id = sqlite3_column_int64 (stmt, 1);
      row.received_at = sqlite3_column_int64 (stmt, 2);
      row.channel = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      row.body = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      row.action = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      row.keyword = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      g_array_append_val (rows, row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    ok = _tc_db_set_error (tick->db, error, "Cannot read the inbound messages");

  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = &g_array_index (rows, Row, i);
      g_autofree char *said = keyword_norm (row->body);
      g_autofree char *key = g_strdup_printf ("k%" G_GINT64_FORMAT, row->id);
      g_autoptr(JsonObject) properties = NULL;

      last = row->id;
      if (!ok || row->contact_id == 0 || strcmp (row->action, "opt_out") == 0)
        continue;
      for (guint j = 0; j < tick->journeys->len && ok; j++)
        {
          ActiveJourney *journey = &g_array_index (tick->journeys, ActiveJourney, j);
          const TcJourneyNode *trigger = tc_journey_get_trigger (journey->active);
          g_autofree char *want = NULL;

          if (trigger == NULL ||
              strcmp (config_string (trigger->config, "event", ""), "keyword") != 0 ||
              !fresh_for (journey, row->received_at, row->received_at))
            continue;
          want = keyword_norm (config_string (trigger->config, "keyword", ""));
          if (want[0] == '\0' ||
              (strcmp (said, want) != 0 && g_ascii_strcasecmp (row->keyword, want) != 0))
            continue;
          if (keywords == NULL && (keywords = load_keywords (tick, error)) == NULL)
            {
              ok = FALSE;
              break;
            }
          if (is_stop (keywords, row->body) || is_stop (keywords, want))
            continue;
          if (properties == NULL)
            {
              properties = json_object_new ();
              json_object_set_string_member (properties, "keyword", want);
              json_object_set_string_member (properties, "body", row->body);
              json_object_set_string_member (properties, "channel", row->channel);
            }
          if (filters_match (config_filters (trigger->config), properties))
            ok = enrol_with_key (tick, journey, key, 0, row->contact_id, properties, error);
        }
    }
  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = &g_array_index (rows, Row, i);

      g_free (row->channel);
      g_free (row->body);
      g_free (row->action);
      g_free (row->keyword);
    }
  if (!ok)
    return FALSE;
  if (rows->len == 5000)
    tick->tick.more = TRUE;

  return last == cursor || put_int_setting (tick, INBOUND_CURSOR_SETTING, last, error);
}

/* g_time_zone_new_identifier() reads and parses the zone's file each time
 * (about 150 µs): contacts share a few hundred zones at most, so each is
 * read once per process. NULL for an unknown identifier. */
static GTimeZone *
cached_zone (const char *identifier)
{
  static GHashTable *cache;  /* identifier → GTimeZone, or NULL for an unknown one */
  G_LOCK_DEFINE_STATIC (cache);
  gpointer known = NULL;
  GTimeZone *zone;

  G_LOCK (cache);
  if (cache == NULL)
    cache = g_hash_table_new (g_str_hash, g_str_equal);
  if (g_hash_table_lookup_extended (cache, identifier, NULL, &known))
    zone = known != NULL ? g_time_zone_ref (known) : NULL;
  else
    {
      zone = g_time_zone_new_identifier (identifier);
      /* Kept for the process's life; bounded against odd data. */
      if (g_hash_table_size (cache) < 1000)
        g_hash_table_insert (cache, g_strdup (identifier),
                             zone != NULL ? g_time_zone_ref (zone) : NULL);
    }
  G_UNLOCK (cache);

  return zone;
}

/* A zone from a contact's stored zones (space-separated, the first one
 * counts), else their number's, else UTC. */
static GTimeZone *
zone_for (const char *timezones,
          const char *phone)
{
  GTimeZone *zone = NULL;

  if (timezones != NULL && timezones[0] != '\0')
    {
      const char *space = strchr (timezones, ' ');
      g_autofree char *first = space != NULL ? g_strndup (timezones, space - timezones)
                                             : g_strdup (timezones);

      zone = cached_zone (first);
    }
  if (zone == NULL && phone != NULL)
    {
      g_autoptr(TcPhoneInfo) info = tc_phone_parse (phone, "US", TC_PHONE_PARSE_ALL, NULL);

      if (info != NULL && info->timezones != NULL && info->timezones[0] != NULL)
        zone = cached_zone (info->timezones[0]);
    }

  return zone != NULL ? zone : g_time_zone_new_utc ();
}

/* Reads the month and day of a date attribute: "1990-05-17", a date and
 * time starting so, or "05-17" / "--05-17" without a year. FALSE for
 * anything else, or a day the month cannot have. */
static gboolean
parse_month_day (const char *text,
                 int        *month,
                 int        *day)
{
  int m = 0, d = 0;
  const char *p = text;

  if (text == NULL)
    return FALSE;
  while (g_ascii_isspace (*p))
    p++;
  if (p[0] == '-' && p[1] == '-')
    p += 2;
  else if (g_ascii_isdigit (p[0]) && g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2]) &&
           g_ascii_isdigit (p[3]) && p[4] == '-')
    p += 5;
  if (!(g_ascii_isdigit (p[0]) && g_ascii_isdigit (p[1]) && p[2] == '-' &&
        g_ascii_isdigit (p[3]) && g_ascii_isdigit (p[4])))
    return FALSE;
  m = (p[0] - '0') * 10 + (p[1] - '0');
  d = (p[3] - '0') * 10 + (p[4] - '0');
  if (!(p[5] == '\0' || p[5] == 'T' || p[5] == ' ' || p[5] == 't'))
    return FALSE;
  /* Any year: 29 February is a valid birthday. */
  if (m < 1 || m > 12 || d < 1 || d > g_date_get_days_in_month ((GDateMonth) m, 2000))
    return FALSE;
  *month = m;
  *day = d;

  return TRUE;
}

/* The moment the date @month-@day comes round in @year at @minutes past
 * midnight in @zone. 29 February is kept on 28 February in other years.
 * A time the clocks skip (a DST gap) is the moment they jump to, GLib's
 * rule (02:30 on the morning they go from 02:00 to 03:00 → 03:00). */
static gint64
anniversary_at (GTimeZone *zone,
                int        year,
                int        month,
                int        day,
                int        minutes)
{
  g_autoptr(GDateTime) at = NULL;

  if (month == 2 && day == 29 && !g_date_is_leap_year ((GDateYear) year))
    day = 28;
  at = g_date_time_new (zone, year, month, day, minutes / 60, minutes % 60, 0);

  return at != NULL ? g_date_time_to_unix (at) : 0;
}

/* How often a date trigger looks at the contacts at most (a contact added
 * or changed is seen within this), and how late a date may be taken up
 * (the app was off when it came round). */
#define DATE_SCAN_SECONDS (15 * 60)
#define DATE_LATE_SECONDS LATE_EVENT_SECONDS

/* A date attribute: every contact whose attribute (say "birthday" =
 * 1990-05-17) comes round at the trigger's time of day in their zone in
 * (the last look, now] — and at most a day ago — enters, once per year
 * (entry key d<contact>:<year>). The settings key journeys.date.<id>
 * keeps "<last look> <next date due>", so that a tick looks again only
 * when a date is due or DATE_SCAN_SECONDS have gone by. */
static gboolean
check_dates_for (Tick          *tick,
                 ActiveJourney *journey,
                 GError       **error)
{
  const TcJourneyNode *trigger = tc_journey_get_trigger (journey->active);
  const char *attribute = config_string (trigger->config, "attribute", "");
  int minutes = minutes_of (config_string (trigger->config, "time", "09:00"));
  g_autofree char *key = g_strdup_printf ("journeys.date.%" G_GINT64_FORMAT, journey->id);
  g_autofree char *state = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 now = tick->options.now, last = 0, next_due = 0, from;
  gboolean ok = TRUE;
  sqlite3_stmt *stmt;
  int rc;

  state = _tc_db_get_setting (tick->db, key, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (state != NULL)
    {
      char *end = NULL;

      last = g_ascii_strtoll (state, &end, 10);
      if (end != NULL && *end == ' ')
        next_due = g_ascii_strtoll (end + 1, NULL, 10);
    }
  if (state != NULL && now < last + DATE_SCAN_SECONDS && (next_due == 0 || now < next_due))
    {
      if (next_due > now && (tick->tick.next_trigger == 0 || next_due < tick->tick.next_trigger))
        tick->tick.next_trigger = next_due;
      return TRUE;
    }

  /* The window: after the last look (or the activation), at most a day. */
  from = MAX (state != NULL ? last : journey->first_activated - 1, now - DATE_LATE_SECONDS);
  next_due = 0;

  stmt = _tc_db_prepare (tick->db,
                         "SELECT c.id, c.phone, c.timezones, a.value"
                         " FROM contacts c, json_each (c.attributes) a"
                         " WHERE a.key = ?1 AND a.type = 'text'",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, attribute, -1, SQLITE_TRANSIENT);
  {
    typedef struct { gint64 contact_id; int year; gint64 at; } Due;
    g_autoptr(GArray) due = g_array_new (FALSE, FALSE, sizeof (Due));

    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        g_autoptr(GTimeZone) zone = NULL;
        g_autoptr(GDateTime) here = NULL;
        int month, day, year;

        if (!parse_month_day ((const char *) sqlite3_column_text (stmt, 3), &month, &day))
          continue;
        zone = zone_for ((const char *) sqlite3_column_text (stmt, 2),
                         (const char *) sqlite3_column_text (stmt, 1));
        here = g_date_time_new_from_unix_utc (now);
        year = g_date_time_get_year (here);
        /* Last year's, this year's and next year's: the window is at most
         * a day, and the zones are a day apart at most. */
        for (int y = year - 1; y <= year + 1; y++)
          {
            gint64 at = anniversary_at (zone, y, month, day, minutes);

            if (at > from && at <= now)
              {
                Due d = { sqlite3_column_int64 (stmt, 0), y, at };

                g_array_append_val (due, d);
              }
            else if (at > now && (next_due == 0 || at < next_due))
              next_due = at;
          }
      }
    sqlite3_reset (stmt);
    if (rc != SQLITE_DONE)
      return _tc_db_set_error (tick->db, error, "Cannot read the contacts' dates");

    for (guint i = 0; i < due->len && ok; i++)
      {
        Due *d = &g_array_index (due, Due, i);
        g_autofree char *source = g_strdup_printf ("d%" G_GINT64_FORMAT ":%d", d->contact_id,
                                                   d->year);
        g_autoptr(JsonObject) properties = json_object_new ();
        g_autofree char *date = g_strdup_printf ("%d", d->year);
        g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (d->at);
        g_autofree char *iso = g_date_time_format_iso8601 (at);

        json_object_set_string_member (properties, "attribute", attribute);
        json_object_set_string_member (properties, "year", date);
        json_object_set_string_member (properties, "at", iso);
        if (filters_match (config_filters (trigger->config), properties))
          ok = enrol_with_key (tick, journey, source, 0, d->contact_id, properties, error);
      }
  }
  if (!ok)
    return FALSE;

  {
    g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT, now,
                                              next_due);

    if (!put_setting (tick, key, value, error))
      return FALSE;
  }
  if (next_due > now && (tick->tick.next_trigger == 0 || next_due < tick->tick.next_trigger))
    tick->tick.next_trigger = next_due;

  return TRUE;
}

/* ---- Segments: who matched at the last look, as a compact list of id
 * runs "<gap>+<length>" in base 36 joined by ",", where a gap counts from
 * the end of the previous run. */

static void
append_base36 (GString *out,
               guint64  value)
{
  char buffer[16];
  int n = 0;

  do
    {
      buffer[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[value % 36];
      value /= 36;
    }
  while (value > 0);
  while (n > 0)
    g_string_append_c (out, buffer[--n]);
}

static char *
members_encode (GArray *ids)
{
  GString *out = g_string_new ("");
  gint64 end = 0;   /* one past the previous run */

  for (guint i = 0; i < ids->len;)
    {
      gint64 start = g_array_index (ids, gint64, i);
      guint j = i + 1;

      while (j < ids->len && g_array_index (ids, gint64, j) == start + (gint64) (j - i))
        j++;
      if (out->len > 0)
        g_string_append_c (out, ',');
      append_base36 (out, (guint64) (start - end));
      g_string_append_c (out, '+');
      append_base36 (out, j - i);
      end = start + (gint64) (j - i);
      i = j;
    }

  return g_string_free (out, FALSE);
}

/* Sorted ids back from members_encode(); NULL for text it did not write. */
static GArray *
members_decode (const char *text)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 end = 0;
  const char *p = text;

  while (*p != '\0')
    {
      guint64 gap, length;
      char *stop = NULL;

      gap = g_ascii_strtoull (p, &stop, 36);
      if (stop == p || *stop != '+')
        return NULL;
      p = stop + 1;
      length = g_ascii_strtoull (p, &stop, 36);
      if (stop == p || length == 0 || length > G_MAXINT32 || (*stop != ',' && *stop != '\0'))
        return NULL;
      p = *stop == ',' ? stop + 1 : stop;
      for (guint64 k = 0; k < length; k++)
        {
          gint64 id = end + (gint64) gap + (gint64) k;

          g_array_append_val (ids, id);
        }
      end += (gint64) gap + (gint64) length;
    }

  return g_steal_pointer (&ids);
}

static gboolean
collect_member (gint64   contact_id,
                gpointer user_data)
{
  g_array_append_val ((GArray *) user_data, contact_id);

  return TRUE;
}

/* How often the members of an "entered segment" trigger's segment are
 * counted again. */
#define SEGMENT_SCAN_SECONDS (15 * 60)

/* Entered a segment: every SEGMENT_SCAN_SECONDS the saved segment's
 * members are listed and compared with those of the last look, kept in
 * the settings key journeys.segment.<id> as "<time> <segment>\n<members>"
 * (members_encode()). Those who match now and did not then enter. The
 * first look (after activation, or when the trigger names another
 * segment) only remembers: people already in the segment are not new to
 * it. A segment that no longer exists enrols nobody. */
static gboolean
check_segment_for (Tick          *tick,
                   ActiveJourney *journey,
                   GError       **error)
{
  const TcJourneyNode *trigger = tc_journey_get_trigger (journey->active);
  const char *name = config_string (trigger->config, "segment", "");
  g_autofree char *key = g_strdup_printf ("journeys.segment.%" G_GINT64_FORMAT, journey->id);
  g_autofree char *state = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TcSavedSegment) saved = NULL;
  g_autoptr(GArray) before = NULL;
  g_autoptr(GArray) now_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) value = NULL;
  g_autofree char *encoded = NULL;
  gint64 now = tick->options.now, last = 0;

  state = _tc_db_get_setting (tick->db, key, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (state != NULL)
    {
      const char *newline = strchr (state, '\n');
      char *end = NULL;

      last = g_ascii_strtoll (state, &end, 10);
      if (newline != NULL && end != NULL && *end == ' ' &&
          (gsize) (newline - (end + 1)) == strlen (name) &&
          strncmp (end + 1, name, strlen (name)) == 0)
        {
          /* Same segment: not yet time to look again? */
          if (now >= last && now < last + SEGMENT_SCAN_SECONDS)
            return TRUE;
          before = members_decode (newline + 1);
        }
    }

  saved = _tc_db_segment_load (tick->db, name, &local_error);
  if (saved == NULL)
    {
      if (!g_error_matches (local_error, TC_SEGMENT_ERROR, TC_SEGMENT_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_debug ("Journey %" G_GINT64_FORMAT ": there is no segment “%s”", journey->id, name);
    }
  else if (!_tc_db_segment_foreach (tick->db, saved->segment, now, 0, collect_member, now_ids,
                                    NULL, error))
    return FALSE;

  if (before != NULL)
    {
      guint b = 0;

      for (guint i = 0; i < now_ids->len; i++)
        {
          gint64 id = g_array_index (now_ids, gint64, i);
          g_autofree char *source = NULL;
          g_autoptr(JsonObject) properties = NULL;

          while (b < before->len && g_array_index (before, gint64, b) < id)
            b++;
          if (b < before->len && g_array_index (before, gint64, b) == id)
            continue;
          source = g_strdup_printf ("s%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, id, now);
          properties = json_object_new ();
          json_object_set_string_member (properties, "segment", name);
          if (filters_match (config_filters (trigger->config), properties) &&
              !enrol_with_key (tick, journey, source, 0, id, properties, error))
            return FALSE;
        }
    }

  encoded = members_encode (now_ids);
  value = g_string_new (NULL);
  g_string_printf (value, "%" G_GINT64_FORMAT " %s\n%s", now, name, encoded);

  return put_setting (tick, key, value->str, error);
}

static gboolean
check_scheduled_triggers (Tick    *tick,
                          GError **error)
{
  for (guint j = 0; j < tick->journeys->len; j++)
    {
      ActiveJourney *journey = &g_array_index (tick->journeys, ActiveJourney, j);
      const TcJourneyNode *trigger = tc_journey_get_trigger (journey->active);
      const char *event;

      if (trigger == NULL)
        continue;
      event = config_string (trigger->config, "event", "");
      if (strcmp (event, "date_attribute") == 0 && !check_dates_for (tick, journey, error))
        return FALSE;
      if (strcmp (event, "entered_segment") == 0 && !check_segment_for (tick, journey, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
template_id_for (Tick        *tick,
                 const char  *kind,
                 const char  *name,
                 gint64      *id,
                 GError     **error)
{
  sqlite3_stmt *stmt = _tc_db_prepare (tick->db,
                                       "SELECT id FROM templates WHERE kind = ?1 AND name = ?2"
                                       " ORDER BY id LIMIT 1",
                                       error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  *id = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _tc_db_set_error (tick->db, error, "Cannot look up a template");

  return TRUE;
}

/* The composer for template @name on @channel; NULL with @error set to a
 * G_IO_ERROR when the template is missing or does not read (the send is
 * skipped), a TC_DB_ERROR when the database failed. */
static TcComposer *
composer_for (Tick        *tick,
              TcJourney   *journey,
              TcChannel    channel,
              TcPurpose    purpose,
              const char  *name,
              const char  *node_id,
              GError     **error)
{
  const char *kind = channel == TC_CHANNEL_SMS ? "sms" : "whatsapp";
  g_autofree char *key = g_strdup_printf ("%s\x1f%d\x1f%s\x1f%s", kind, purpose, node_id, name);
  g_autoptr(TcTemplate) template = NULL;
  g_autofree char *slug = NULL;
  TcComposeOptions options = { 0, };
  TcUtmParams utm = { 0, };
  TcComposer *composer;
  gint64 id;

  composer = g_hash_table_lookup (tick->composers, key);
  if (composer != NULL)
    return composer;

  if (!template_id_for (tick, kind, name, &id, error))
    return NULL;
  if (id == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "There is no %s template “%s”", kind, name);
      return NULL;
    }
  template = _tc_db_template_load (tick->db, id, 0, error);
  if (template == NULL)
    return NULL;

  slug = tc_links_slugify (tc_journey_get_name (journey));
  utm.source = tc_links_default_source (channel);
  utm.medium = tc_links_default_medium (channel);
  utm.campaign = slug;
  utm.content = node_id;
  options.brand = g_hash_table_lookup (tick->settings, TC_SETTING_BRAND_NAME);
  options.purpose = purpose;
  options.utm = &utm;
  options.short_domain = g_hash_table_lookup (tick->settings, TC_SETTING_SHORT_LINK_DOMAIN);
  options.alloc_link = _tc_short_link_alloc;
  composer = tc_composer_new (template, &options, error);
  if (composer == NULL)
    {
      g_clear_error (error);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The %s template “%s” does not read", kind, name);
      return NULL;
    }
  g_hash_table_insert (tick->composers, g_steal_pointer (&key), composer);

  return composer;
}

/* One planned message: the channel, what was composed, the gate's word. */
typedef struct
{
  TcChannel       channel;
  TcComposed      composed;
  TcGateDecision  decision;
  gboolean        message_error;  /* the template is missing or does not render */
} Plan;

static void
plan_clear (Plan *plan)
{
  tc_composed_clear (&plan->composed);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Plan, plan_clear)

static gboolean
plan_send (Tick        *tick,
           TcJourney   *journey,
           Enrollment  *en,
           const char  *node_id,
           TcChannel    channel,
           TcPurpose    purpose,
           const char  *template_name,
           const char  *origin,
           Plan        *plan,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonObject) event = NULL;
  TcContact *contact = en->contact;
  TcShortLinkTarget target = { tick->db, en->contact_id, origin };
  TcGateQuery query = { 0, };
  TcComposer *composer;

  plan_clear (plan);
  memset (plan, 0, sizeof *plan);
  plan->channel = channel;

  composer = composer_for (tick, journey, channel, purpose, template_name, node_id, &local_error);
  if (composer != NULL)
    {
      event = event_properties (en);
      tc_composer_compose_with_event (composer, contact, tc_contact_get_phone (contact), event,
                                      &target, &plan->composed, &local_error);
    }
  if (local_error != NULL)
    {
      if (local_error->domain == TC_DB_ERROR)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_debug ("Journey %" G_GINT64_FORMAT ", node %s, contact %" G_GINT64_FORMAT ": %s",
               tc_journey_get_id (journey), node_id, en->contact_id, local_error->message);
      plan->message_error = TRUE;
      plan->decision.decision = TC_GATE_SKIP;
      plan->decision.reason = TC_GATE_REASON_NONE;
      return TRUE;
    }

  query.phone = tc_contact_get_phone (contact);
  query.channel = channel;
  query.purpose = purpose;
  query.content = plan->composed.content;
  query.wa_category = plan->composed.category;
  query.template_approved = plan->composed.approved;
  query.now = tick->options.now;
  if (!_tc_db_gate_check (tick->db, tick->policy, &query, &plan->decision, error))
    return FALSE;
  /* No time within two weeks is allowed in every zone: nothing to queue. */
  if (plan->decision.decision == TC_GATE_DEFER && plan->decision.until == 0)
    plan->decision.decision = TC_GATE_SKIP;

  return TRUE;
}

/* A WhatsApp node's "session_body": free-form text, allowed only while the
 * contact's 24-hour window is open (they wrote to us on WhatsApp). The
 * gate says so (a text outside the window is "template required"); FALSE
 * in *@usable when it cannot be sent now, so that the template goes. */
static gboolean
plan_session (Tick                *tick,
              Enrollment          *en,
              const TcJourneyNode *node,
              TcPurpose            purpose,
              Plan                *plan,
              gboolean            *usable,
              GError             **error)
{
  g_autoptr(TcMustacheTemplate) compiled = NULL;
  g_autoptr(JsonObject) event = event_properties (en);
  g_autoptr(JsonNode) vars = NULL;
  g_autofree char *text = NULL;
  TcGateQuery query = { 0, };

  *usable = FALSE;
  compiled = tc_mustache_parse (config_string (node->config, "session_body", ""), -1, NULL);
  if (compiled == NULL)
    return TRUE;
  vars = tc_mustache_vars_new_for_contact (en->contact,
                                           g_hash_table_lookup (tick->settings,
                                                                TC_SETTING_BRAND_NAME),
                                           event);
  text = tc_mustache_render (compiled, vars, NULL, TC_MUSTACHE_ESCAPE_NONE, NULL, NULL);
  if (text == NULL || text[0] == '\0')
    return TRUE;

  plan_clear (plan);
  memset (plan, 0, sizeof *plan);
  plan->channel = TC_CHANNEL_WHATSAPP;
  plan->composed.body = g_steal_pointer (&text);
  plan->composed.content = TC_GATE_CONTENT_TEXT;
  query.phone = tc_contact_get_phone (en->contact);
  query.channel = TC_CHANNEL_WHATSAPP;
  query.purpose = purpose;
  query.content = TC_GATE_CONTENT_TEXT;
  query.now = tick->options.now;
  if (!_tc_db_gate_check (tick->db, tick->policy, &query, &plan->decision, error))
    return FALSE;
  *usable = plan->decision.decision == TC_GATE_SEND;

  return TRUE;
}

static gboolean
fallback_on (JsonObject *fallback,
             const char *when)
{
  JsonNode *on = fallback != NULL ? json_object_get_member (fallback, "on") : NULL;

  if (on == NULL || !JSON_NODE_HOLDS_ARRAY (on))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (on)); i++)
    if (g_strcmp0 (json_array_get_string_element (json_node_get_array (on), i), when) == 0)
      return TRUE;

  return FALSE;
}

/* Whether a skip for @reason is one of the fallback's "on" cases. */
static gboolean
fallback_applies (JsonObject  *fallback,
                  TcChannel    channel,
                  TcGateReason reason)
{
  JsonArray *on;

  if (fallback == NULL || !json_object_has_member (fallback, "on"))
    return FALSE;
  on = json_object_get_array_member (fallback, "on");
  for (guint i = 0; i < json_array_get_length (on); i++)
    {
      const char *when = json_array_get_string_element (on, i);

      if (strcmp (when, "no_consent") == 0 &&
          (reason == TC_GATE_REASON_NO_CONSENT || reason == TC_GATE_REASON_OPTED_OUT))
        return TRUE;
      /* What the gate knows before sending that WhatsApp cannot carry
       * this message to this number. */
      if (strcmp (when, "not_on_whatsapp") == 0 && channel == TC_CHANNEL_WHATSAPP &&
          (reason == TC_GATE_REASON_LANDLINE || reason == TC_GATE_REASON_WA_MARKETING_US ||
           reason == TC_GATE_REASON_WA_TEMPLATE_REQUIRED ||
           reason == TC_GATE_REASON_WA_TEMPLATE_NOT_APPROVED))
        return TRUE;
    }

  return FALSE;
}

/* send_preferred tries the other channel for the same cases as a
 * fallback on no_consent and not_on_whatsapp. */
static gboolean
preferred_falls_back (TcChannel    channel,
                      TcGateReason reason)
{
  return reason == TC_GATE_REASON_NO_CONSENT || reason == TC_GATE_REASON_OPTED_OUT ||
         (channel == TC_CHANNEL_WHATSAPP &&
          (reason == TC_GATE_REASON_LANDLINE || reason == TC_GATE_REASON_WA_MARKETING_US ||
           reason == TC_GATE_REASON_WA_TEMPLATE_REQUIRED ||
           reason == TC_GATE_REASON_WA_TEMPLATE_NOT_APPROVED));
}

/* Queues @plan under the step's idempotency key (in *@key_out when
 * asked). */
static gboolean
queue_plan (Tick        *tick,
            Enrollment  *en,
            const char  *node_id,
            TcPurpose    purpose,
            const char  *origin,
            Plan        *plan,
            char       **key_out,
            GError     **error)
{
  g_autofree char *idem_key = NULL;
  TcOutboxRow row = { 0, };
  gboolean inserted;

  idem_key = g_strdup_printf ("journey:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT
                              ":%s", en->id, en->entered_at, runner_step (en), node_id);
  row.idem_key = idem_key;
  row.origin = origin;
  row.contact_id = en->contact_id;
  row.phone = tc_contact_get_phone (en->contact);
  row.channel = plan->channel;
  row.purpose = purpose;
  row.body = plan->composed.body != NULL ? plan->composed.body : "";
  row.wa_template = plan->composed.wa_template;
  row.media_url = plan->composed.media_url;
  row.due_at = tick->options.now;
  switch (plan->decision.decision)
    {
    case TC_GATE_SEND:
      row.state = TC_OUTBOX_QUEUED;
      break;
    case TC_GATE_DEFER:
      row.state = TC_OUTBOX_DEFERRED;
      row.due_at = plan->decision.until;
      row.reason = tc_gate_reason_to_string (plan->decision.reason);
      break;
    case TC_GATE_SKIP:
    default:
      row.state = TC_OUTBOX_SKIPPED;
      row.reason = plan->message_error ? "message_error"
                                       : tc_gate_reason_to_string (plan->decision.reason);
      break;
    }

  if (!_tc_db_outbox_enqueue (tick->db, &row, tick->options.now, &inserted, error))
    return FALSE;
  if (key_out != NULL)
    *key_out = g_steal_pointer (&idem_key);
  if (row.state == TC_OUTBOX_SKIPPED)
    tick->tick.skipped++;
  else
    {
      tick->tick.queued++;
      runner_count (en, "sent", node_id);
    }

  return TRUE;
}

static TcPurpose
config_purpose (JsonObject *config)
{
  return g_strcmp0 (config_string (config, "purpose", "promotional"), "transactional") == 0
         ? TC_PURPOSE_TRANSACTIONAL : TC_PURPOSE_PROMOTIONAL;
}

/* Which channel send_preferred tries first: the contact's
 * "preferred_channel" attribute, else WhatsApp when they opted in to it,
 * else SMS. */
static TcChannel
preferred_channel (TcContact *contact)
{
  const char *preferred = tc_contact_get_attribute (contact, "preferred_channel");

  if (g_strcmp0 (preferred, "sms") == 0)
    return TC_CHANNEL_SMS;
  if (g_strcmp0 (preferred, "whatsapp") == 0)
    return TC_CHANNEL_WHATSAPP;

  return tc_contact_get_consent_summary (contact, TC_CHANNEL_WHATSAPP) == TC_CONSENT_STATUS_OPTED_IN
         ? TC_CHANNEL_WHATSAPP : TC_CHANNEL_SMS;
}

static gboolean
resume_not_delivered (Tick                *tick,
                      TcJourney           *journey,
                      Enrollment          *en,
                      const TcJourneyNode *node,
                      TcChannel            first,
                      const char          *other_template,
                      TcPurpose            purpose,
                      const char          *origin,
                      Outcome             *outcome,
                      GError             **error)
{
  JsonObject *data = runner_data (en);
  g_autofree char *key = g_strdup (config_string (data, "pending", ""));
  g_autoptr(TcOutboxEntry) entry = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(Plan) plan = { 0, };
  TcChannel other = first == TC_CHANNEL_SMS ? TC_CHANNEL_WHATSAPP : TC_CHANNEL_SMS;

  json_object_remove_member (data, "pending");
  outcome->kind = OUTCOME_MOVE;
  outcome->port = "sent";

  entry = _tc_db_outbox_get_by_idem_key (tick->db, key, &local_error);
  if (entry == NULL && !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (entry != NULL && (entry->state == TC_OUTBOX_DELIVERED || entry->state == TC_OUTBOX_READ))
    return TRUE;

  if (!plan_send (tick, journey, en, node->id, other, purpose, other_template, origin, &plan,
                  error) ||
      !queue_plan (tick, en, node->id, purpose, origin, &plan, NULL, error))
    return FALSE;
  /* Neither message went: the first failed and the fallback was skipped. */
  if (plan.decision.decision == TC_GATE_SKIP && entry != NULL &&
      (entry->state == TC_OUTBOX_FAILED || entry->state == TC_OUTBOX_SKIPPED))
    outcome->port = "skipped";

  return TRUE;
}

static gboolean
run_send (Tick                *tick,
          TcJourney           *journey,
          Enrollment          *en,
          const TcJourneyNode *node,
          Outcome             *outcome,
          GError             **error)
{
  g_autofree char *origin = g_strdup_printf ("journey:%" G_GINT64_FORMAT ":%s",
                                             en->journey_id, node->id);
  TcPurpose purpose = config_purpose (node->config);
  g_auto(Plan) plan = { 0, };
  JsonObject *fallback = NULL;
  const char *first_template, *other_template = NULL;
  g_autofree char *key = NULL;
  TcChannel first;

  if (enrollment_contact (tick, en, error) == NULL)
    {
      if (!en->contact_gone)
        return FALSE;
      outcome->kind = OUTCOME_MOVE;
      outcome->port = "skipped";
      return TRUE;
    }

  if (node->kind == TC_JOURNEY_NODE_SEND_PREFERRED)
    {
      first = preferred_channel (en->contact);
      first_template = config_string (node->config, first == TC_CHANNEL_SMS ? "sms_template"
                                                                            : "whatsapp_template", "");
      other_template = config_string (node->config, first == TC_CHANNEL_SMS ? "whatsapp_template"
                                                                            : "sms_template", "");
    }
  else
    {
      JsonNode *member = json_object_get_member (node->config, "fallback");

      first = node->kind == TC_JOURNEY_NODE_SEND_SMS ? TC_CHANNEL_SMS : TC_CHANNEL_WHATSAPP;
      first_template = config_string (node->config, "template", "");
      if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
        {
          fallback = json_node_get_object (member);
          other_template = config_string (fallback, "template", "");
        }
    }

  /* Back after a fallback's "not_delivered" wait: the first message's
   * fate decides. */
  if (g_strcmp0 (en->state, "waiting") == 0)
    return resume_not_delivered (tick, journey, en, node, first, other_template, purpose, origin,
                                 outcome, error);

  if (node->kind == TC_JOURNEY_NODE_SEND_WHATSAPP &&
      config_string (node->config, "session_body", "")[0] != '\0')
    {
      gboolean usable;

      if (!plan_session (tick, en, node, purpose, &plan, &usable, error))
        return FALSE;
      if (usable)
        goto queue;
    }

  if (!plan_send (tick, journey, en, node->id, first, purpose, first_template, origin, &plan,
                  error))
    return FALSE;
  if (plan.decision.decision == TC_GATE_SKIP && other_template != NULL &&
      other_template[0] != '\0' &&
      ((node->kind == TC_JOURNEY_NODE_SEND_PREFERRED &&
        (plan.message_error || preferred_falls_back (first, plan.decision.reason))) ||
       fallback_applies (fallback, first, plan.decision.reason)))
    {
      TcChannel other = first == TC_CHANNEL_SMS ? TC_CHANNEL_WHATSAPP : TC_CHANNEL_SMS;

      if (!plan_send (tick, journey, en, node->id, other, purpose, other_template, origin, &plan,
                      error))
        return FALSE;
    }

queue:
  if (!queue_plan (tick, en, node->id, purpose, origin, &plan, &key, error))
    return FALSE;

  /* A fallback on "not_delivered": wait, then look at the message. */
  if (plan.decision.decision != TC_GATE_SKIP && plan.channel == first &&
      other_template != NULL && other_template[0] != '\0' && fallback_on (fallback, "not_delivered"))
    {
      gint64 minutes = config_int (fallback, "after_minutes");
      gint64 from = plan.decision.decision == TC_GATE_DEFER ? plan.decision.until
                                                            : tick->options.now;

      json_object_set_string_member (runner_data (en), "pending", key);
      outcome->kind = OUTCOME_WAIT;
      outcome->due = from + (minutes > 0 ? minutes : 60) * 60;
      return TRUE;
    }

  outcome->kind = OUTCOME_MOVE;
  switch (plan.decision.decision)
    {
    case TC_GATE_SEND:
      outcome->port = "sent";
      break;
    case TC_GATE_DEFER:
      /* Quiet hours hold the message, not the journey's meaning: it is
       * sent when the hours end, and the next node starts from then. */
      outcome->port = "sent";
      outcome->due = plan.decision.until;
      break;
    case TC_GATE_SKIP:
    default:
      outcome->port = "skipped";
      break;
    }

  return TRUE;
}

static const char *
contact_field (TcContact  *contact,
               const char *field)
{
  if (g_str_has_prefix (field, "attributes."))
    return tc_contact_get_attribute (contact, field + strlen ("attributes."));
  if (strcmp (field, "first_name") == 0)
    return tc_contact_get_first_name (contact);
  if (strcmp (field, "last_name") == 0)
    return tc_contact_get_last_name (contact);
  if (strcmp (field, "email") == 0)
    return tc_contact_get_email (contact);
  if (strcmp (field, "phone") == 0)
    return tc_contact_get_phone (contact);
  if (strcmp (field, "language") == 0)
    return tc_contact_get_language (contact);
  if (strcmp (field, "country") == 0)
    return tc_contact_get_country (contact);
  if (strcmp (field, "timezone") == 0)
    {
      const char * const *zones = tc_contact_get_timezones (contact);

      return zones != NULL ? zones[0] : NULL;
    }

  return NULL;
}

/* The enrollment's latest message: its state, origin and times. */
static gboolean
last_message (Tick        *tick,
              Enrollment  *en,
              char       **state,
              char       **origin,
              gint64      *created_at,
              GError     **error)
{
  g_autofree char *low = g_strdup_printf ("journey:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ":",
                                          en->id, en->entered_at);
  g_autofree char *high = g_strdup_printf ("journey:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ";",
                                           en->id, en->entered_at);
  sqlite3_stmt *stmt = _tc_db_prepare (tick->db,
                                       "SELECT state, origin, coalesce (sent_at, created_at)"
                                       " FROM outbox WHERE idem_key >= ?1 AND idem_key < ?2"
                                       "  AND state <> 'skipped'"
                                       " ORDER BY id DESC LIMIT 1",
                                       error);
  int rc;

  *state = NULL;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, low, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, high, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *state = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      *origin = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      *created_at = sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _tc_db_set_error (tick->db, error, "Cannot read the journey's last message");

  return TRUE;
}

static gboolean
exists_query (Tick        *tick,
              const char  *sql,
              gint64       contact_id,
              const char  *text,
              gint64       since,
              gboolean    *found,
              GError     **error)
{
  sqlite3_stmt *stmt = _tc_db_prepare (tick->db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, contact_id);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, since);
  rc = sqlite3_step (stmt);
  *found = rc == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _tc_db_set_error (tick->db, error, "Cannot check a branch condition");

  return TRUE;
}

static gboolean
run_branch (Tick                *tick,
            Enrollment          *en,
            const TcJourneyNode *node,
            gboolean            *yes,
            GError             **error)
{
  JsonObject *condition = json_object_get_object_member (node->config, "condition");
  TcContact *contact;

  *yes = FALSE;
  if (json_object_has_member (condition, "event"))
    return event_since_entry (tick, en, json_object_get_string_member (condition, "event"),
                              config_filters (condition), yes, error);

  if (json_object_has_member (condition, "last_message"))
    {
      const char *want = json_object_get_string_member (condition, "last_message");
      g_autofree char *state = NULL;
      g_autofree char *origin = NULL;
      gint64 at = 0;

      if (!last_message (tick, en, &state, &origin, &at, error))
        return FALSE;
      if (state == NULL)
        return TRUE;
      if (strcmp (want, "delivered") == 0)
        *yes = strcmp (state, "delivered") == 0 || strcmp (state, "read") == 0;
      else if (strcmp (want, "read") == 0)
        *yes = strcmp (state, "read") == 0;
      else if (strcmp (want, "clicked") == 0)
        return exists_query (tick,
                             "SELECT 1 FROM short_links s JOIN link_clicks c ON c.code = s.code"
                             " WHERE s.contact_id = ?1 AND s.origin = ?2 AND c.clicked_at >= ?3"
                             " LIMIT 1",
                             en->contact_id, origin, at, yes, error);
      else
        return exists_query (tick,
                             "SELECT 1 FROM inbound_messages"
                             " WHERE contact_id = ?1 AND ?2 IS NOT NULL AND received_at >= ?3"
                             " LIMIT 1",
                             en->contact_id, origin, at, yes, error);
      return TRUE;
    }

  contact = enrollment_contact (tick, en, error);
  if (contact == NULL)
    return en->contact_gone;

  if (json_object_has_member (condition, "field"))
    {
      const char *op = json_object_get_string_member (condition, "op");
      const char *have = contact_field (contact, json_object_get_string_member (condition, "field"));
      const char *want = config_string (condition, "value", "");

      if (have == NULL)
        have = "";
      if (strcmp (op, "equals") == 0)
        *yes = strcmp (have, want) == 0;
      else if (strcmp (op, "not_equals") == 0)
        *yes = strcmp (have, want) != 0;
      else if (strcmp (op, "contains") == 0)
        *yes = strstr (have, want) != NULL;
      else if (strcmp (op, "empty") == 0)
        *yes = have[0] == '\0';
      else
        *yes = have[0] != '\0';
    }
  else if (json_object_has_member (condition, "tag"))
    {
      const char * const *tags = tc_contact_get_tags (contact);
      gboolean has = tags != NULL &&
                     g_strv_contains (tags, json_object_get_string_member (condition, "tag"));
      gboolean want = !json_object_has_member (condition, "has") ||
                      json_object_get_boolean_member (condition, "has");

      *yes = has == want;
    }
  else if (json_object_has_member (condition, "consent"))
    {
      TcChannel channel = strcmp (json_object_get_string_member (condition, "consent"), "sms") == 0
                          ? TC_CHANNEL_SMS : TC_CHANNEL_WHATSAPP;
      TcPurpose purpose = config_purpose (condition);
      const char *want = json_object_get_string_member (condition, "status");
      TcConsentState state = { 0, };
      const char *have;

      if (!_tc_db_get_consent_state (tick->db, en->contact_id, channel, purpose,
                                     tick->options.now, &state, error))
        return FALSE;
      switch (state.status)
        {
        case TC_CONSENT_STATUS_OPTED_IN:
          have = "opted_in";
          break;
        case TC_CONSENT_STATUS_OPTED_OUT:
          have = "opted_out";
          break;
        case TC_CONSENT_STATUS_PENDING:
          have = "pending";
          break;
        case TC_CONSENT_STATUS_NONE:
        case TC_CONSENT_STATUS_EXPIRED:
        default:
          have = "none";
          break;
        }
      *yes = strcmp (have, want) == 0;
    }

  return TRUE;
}

/* A split: the enrollment's bucket (0–99) from a hash of its id and the
 * node, so the same enrollment always takes the same branch. */
static const char *
run_split (Enrollment          *en,
           const TcJourneyNode *node)
{
  JsonArray *branches = json_object_get_array_member (node->config, "branches");
  g_autofree char *seed = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", en->id, node->id);
  guint32 hash = 2166136261u;
  guint bucket, total = 0;
  guint n = json_array_get_length (branches);

  for (const char *p = seed; *p != '\0'; p++)
    hash = (hash ^ (guchar) *p) * 16777619u;
  bucket = hash % 100;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *branch = json_array_get_object_element (branches, i);

      total += (guint) config_int (branch, "percent");
      if (bucket < total || i == n - 1)
        return json_object_get_string_member (branch, "name");
    }

  return NULL;
}

static gboolean
run_update_contact (Tick                *tick,
                    Enrollment          *en,
                    const TcJourneyNode *node,
                    GError             **error)
{
  const char *action = config_string (node->config, "action", "");
  TcContact *contact = enrollment_contact (tick, en, error);
  TcContactRow row = { 0, };
  sqlite3_stmt *stmt;
  int rc;

  if (contact == NULL)
    return en->contact_gone;

  if (strcmp (action, "remove_tag") == 0)
    {
      stmt = _tc_db_prepare (tick->db,
                             "DELETE FROM contact_tags WHERE contact_id = ?1"
                             " AND tag_id = (SELECT id FROM tags WHERE name = ?2)",
                             error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, en->contact_id);
      sqlite3_bind_text (stmt, 2, config_string (node->config, "tag", ""), -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return _tc_db_set_error (tick->db, error, "Cannot remove a tag");
    }
  else
    {
      const char *tags[] = { config_string (node->config, "tag", ""), NULL };
      const char *names[] = { config_string (node->config, "attribute", ""), NULL };
      const char *values[] = { config_string (node->config, "value", ""), NULL };
      gint64 id;
      gboolean updated;

      row.phone = tc_contact_get_phone (contact);
      if (strcmp (action, "add_tag") == 0)
        row.tags = tags;
      else
        {
          row.attr_names = names;
          row.attr_values = values;
        }
      if (!_tc_db_upsert_contact (tick->db, &row, tick->options.now, &id, &updated, error))
        return FALSE;
    }
  /* Later nodes see the change. */
  g_clear_object (&en->contact);

  return TRUE;
}

static gboolean
execute (Tick                *tick,
         TcJourney           *journey,
         Enrollment          *en,
         const TcJourneyNode *node,
         Outcome             *outcome,
         GError             **error)
{
  gint64 now = tick->options.now;
  gboolean waiting = g_strcmp0 (en->state, "waiting") == 0;

  memset (outcome, 0, sizeof *outcome);
  outcome->kind = OUTCOME_MOVE;

  switch (node->kind)
    {
    case TC_JOURNEY_NODE_TRIGGER:
      outcome->port = "next";
      return TRUE;

    case TC_JOURNEY_NODE_WAIT:
      outcome->port = "next";
      if (waiting)
        return TRUE;
      if (json_object_has_member (node->config, "duration"))
        {
          outcome->kind = OUTCOME_WAIT;
          outcome->due = now + config_int (node->config, "duration");
        }
      else
        {
          g_autoptr(GTimeZone) zone = NULL;
          gint64 at;

          if (enrollment_contact (tick, en, error) == NULL && !en->contact_gone)
            return FALSE;
          zone = contact_zone (en->contact);
          at = window_time (json_object_get_object_member (node->config, "until"), zone, now);
          if (at > now)
            {
              outcome->kind = OUTCOME_WAIT;
              outcome->due = at;
            }
        }
      return TRUE;

    case TC_JOURNEY_NODE_WAIT_FOR_EVENT:
      {
        gboolean found;
        JsonObject *data = runner_data (en);
        gint64 deadline;

        if (!event_since_entry (tick, en, config_string (node->config, "event", ""),
                                config_filters (node->config), &found, error))
          return FALSE;
        if (found)
          {
            outcome->port = "happened";
            json_object_remove_member (data, "until");
            return TRUE;
          }
        if (!waiting)
          {
            deadline = now + config_int (node->config, "within");
            json_object_set_int_member (data, "until", deadline);
          }
        else
          deadline = config_int (data, "until");
        if (now >= deadline)
          {
            outcome->port = "timed_out";
            json_object_remove_member (data, "until");
            return TRUE;
          }
        outcome->kind = OUTCOME_WAIT;
        outcome->due = deadline;
        return TRUE;
      }

    case TC_JOURNEY_NODE_SEND_SMS:
    case TC_JOURNEY_NODE_SEND_WHATSAPP:
    case TC_JOURNEY_NODE_SEND_PREFERRED:
      return run_send (tick, journey, en, node, outcome, error);

    case TC_JOURNEY_NODE_BRANCH:
      {
        gboolean yes;

        if (!run_branch (tick, en, node, &yes, error))
          return FALSE;
        outcome->port = yes ? "yes" : "no";
        return TRUE;
      }

    case TC_JOURNEY_NODE_SPLIT:
      outcome->port = run_split (en, node);
      return TRUE;

    case TC_JOURNEY_NODE_UPDATE_CONTACT:
      outcome->port = "next";
      return run_update_contact (tick, en, node, error);

    case TC_JOURNEY_NODE_EXIT:
    default:
      outcome->kind = OUTCOME_FINISH;
      outcome->state = "exited";
      return TRUE;
    }
}

static void
set_state (Enrollment *en,
           const char *state)
{
  g_free (en->state);
  en->state = g_strdup (state);
}

static gboolean
save_enrollment (Tick        *tick,
                 Enrollment  *en,
                 GError     **error)
{
  g_autofree char *context = object_to_string (tick->generator, en->context);
  sqlite3_stmt *stmt = _tc_db_prepare (tick->db,
                                       "UPDATE journey_enrollments SET node = ?2, state = ?3,"
                                       "  due_at = ?4, context = ?5, updated_at = ?6,"
                                       "  finished_at = ?7"
                                       " WHERE id = ?1",
                                       error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, en->id);
  sqlite3_bind_text (stmt, 2, en->node, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, en->state, -1, SQLITE_TRANSIENT);
  if (en->due_at != 0)
    sqlite3_bind_int64 (stmt, 4, en->due_at);
  else
    sqlite3_bind_null (stmt, 4);
  sqlite3_bind_text (stmt, 5, context, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, tick->options.now);
  if (en->finished_at != 0)
    sqlite3_bind_int64 (stmt, 7, en->finished_at);
  else
    sqlite3_bind_null (stmt, 7);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _tc_db_set_error (tick->db, error, "Cannot save a journey enrollment");

  return TRUE;
}

static void
finish (Tick       *tick,
        Enrollment *en,
        const char *state)
{
  set_state (en, state);
  en->due_at = 0;
  en->finished_at = tick->options.now;
  tick->tick.finished++;
}

/* Executes @en's nodes until it waits, ends, or the budget is spent. */
static gboolean
advance (Tick        *tick,
         Enrollment  *en,
         gboolean    *aborted,
         GError     **error)
{
  TcJourney *journey = load_version (tick, en->journey_id, en->version, error);
  guint taken = 0;

  if (journey == NULL)
    return FALSE;

  for (;;)
    {
      const TcJourneyNode *node;
      const TcJourneyEdge *edge;
      Outcome outcome;

      if (tick->steps_done >= tick->options.max_steps || taken >= MAX_STEPS_PER_ENROLLMENT)
        {
          /* Due again at once: the next tick goes on from here. */
          tick->tick.more = TRUE;
          if (g_strcmp0 (en->state, "active") == 0)
            en->due_at = tick->options.now;
          break;
        }
      if (tick->options.abort_after > 0 && tick->steps_done >= tick->options.abort_after)
        {
          *aborted = TRUE;
          return TRUE;
        }

      node = tc_journey_lookup_node (journey, en->node);
      if (node == NULL)
        {
          g_debug ("Journey %" G_GINT64_FORMAT " version %d has no node “%s”", en->journey_id,
                   en->version, en->node);
          finish (tick, en, "failed");
          break;
        }

      if (!execute (tick, journey, en, node, &outcome, error))
        return FALSE;
      tick->steps_done++;
      tick->tick.steps++;
      taken++;
      json_object_set_int_member (runner_data (en), "step", runner_step (en) + 1);

      if (outcome.kind == OUTCOME_WAIT)
        {
          set_state (en, "waiting");
          en->due_at = outcome.due;
          break;
        }
      if (outcome.kind == OUTCOME_FINISH)
        {
          runner_count (en, "passed", node->id);
          finish (tick, en, outcome.state);
          break;
        }

      runner_count (en, "passed", node->id);
      edge = outcome.port != NULL ? tc_journey_lookup_edge (journey, node->id, outcome.port) : NULL;
      if (edge == NULL)
        {
          finish (tick, en, outcome.port != NULL && tc_journey_node_port_ends (node, outcome.port)
                            ? "completed" : "failed");
          break;
        }
      g_free (en->node);
      en->node = g_strdup (edge->to);
      set_state (en, "active");
      en->due_at = tick->options.now;
      if (outcome.due > tick->options.now)
        {
          en->due_at = outcome.due;
          break;
        }
    }

  return save_enrollment (tick, en, error);
}

static gboolean
run_due (Tick    *tick,
         GError **error)
{
  g_autoptr(GArray) due = g_array_new (FALSE, TRUE, sizeof (Enrollment));
  guint budget = tick->options.max_steps - MIN (tick->steps_done, tick->options.max_steps);
  gboolean ok = TRUE, aborted = FALSE;
  sqlite3_stmt *stmt;
  int rc;

  g_array_set_clear_func (due, (GDestroyNotify) enrollment_clear);
  if (budget == 0)
    return TRUE;

  stmt = _tc_db_prepare (tick->db,
                         "SELECT e.id, e.journey_id, e.version, e.contact_id, e.node, e.state,"
                         "  e.due_at, e.entered_at, e.context"
                         " FROM journey_enrollments e INDEXED BY journey_enrollments_due"
                         " JOIN journeys j ON j.id = e.journey_id"
                         " WHERE e.due_at IS NOT NULL AND e.due_at <= ?1 AND j.state = 'active'"
                         "  AND e.state IN ('active', 'waiting')"
                         " ORDER BY e.due_at, e.id LIMIT ?2",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, tick->options.now);
  sqlite3_bind_int64 (stmt, 2, budget);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Enrollment en = { 0, };

      en.id = sqlite3_column_int64 (stmt, 0);
      en.journey_id = sqlite3_column_int64 (stmt, 1);
      en.version = sqlite3_column_int (stmt, 2);
      en.contact_id = sqlite3_column_int64 (stmt, 3);
      en.node = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      en.state = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      en.due_at = sqlite3_column_int64 (stmt, 6);
      en.entered_at = sqlite3_column_int64 (stmt, 7);
      en.context = parse_object (tick->parser, (const char *) sqlite3_column_text (stmt, 8));
      g_array_append_val (due, en);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _tc_db_set_error (tick->db, error, "Cannot list the due journey enrollments");

  for (guint i = 0; i < due->len && ok && !aborted; i++)
    ok = advance (tick, &g_array_index (due, Enrollment, i), &aborted, error);
  if (ok && aborted)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           "The tick was abandoned midway (test)");
      return FALSE;
    }
  if (ok && due->len == budget)
    tick->tick.more = TRUE;

  return ok;
}

static gboolean
find_next_due (Tick    *tick,
               GError **error)
{
  sqlite3_stmt *stmt = _tc_db_prepare (tick->db,
                                       "SELECT e.due_at FROM journey_enrollments e"
                                       "  INDEXED BY journey_enrollments_due"
                                       " JOIN journeys j ON j.id = e.journey_id"
                                       " WHERE e.due_at IS NOT NULL AND e.due_at > ?1"
                                       "  AND j.state = 'active' AND e.state IN ('active', 'waiting')"
                                       " ORDER BY e.due_at LIMIT 1",
                                       error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, tick->options.now);
  rc = sqlite3_step (stmt);
  tick->tick.next_due = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _tc_db_set_error (tick->db, error, "Cannot find the next due journey step");

  return TRUE;
}

static gpointer
tick_job (TcDb          *db,
          gpointer       job_data,
          GCancellable  *cancellable,
          GError       **error)
{
  TcJourneyTickOptions *options = job_data;
  Tick tick = { 0, };
  TcJourneyTick *result;
  gboolean ok;

  tick.db = db;
  tick.options = *options;
  if (tick.options.max_steps == 0)
    tick.options.max_steps = 2000;
  tick.versions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  tick.composers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) tc_composer_free);
  tick.journeys = g_array_new (FALSE, TRUE, sizeof (ActiveJourney));
  tick.watched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  tick.parser = json_parser_new ();
  tick.generator = json_generator_new ();

  if (!_tc_db_begin (db, error))
    {
      tick_clear (&tick);
      return NULL;
    }

  ok = (tick.settings = _tc_db_gate_load_settings (db, error)) != NULL &&
       (tick.policy = tc_gate_policy_new_from_settings (tick.settings, error)) != NULL &&
       load_journeys (&tick, error) &&
       read_events (&tick, error) &&
       read_consents (&tick, error) &&
       read_inbound (&tick, error) &&
       check_scheduled_triggers (&tick, error) &&
       run_due (&tick, error) &&
       find_next_due (&tick, error);
  if (ok)
    ok = _tc_db_commit (db, error);
  else
    _tc_db_rollback (db);

  if (!ok)
    {
      tick_clear (&tick);
      return NULL;
    }

  result = g_new (TcJourneyTick, 1);
  *result = tick.tick;
  tick_clear (&tick);

  return result;
}

void
tc_journey_runner_tick_async (TcRepository               *repository,
                              const TcJourneyTickOptions *options,
                              GCancellable               *cancellable,
                              GAsyncReadyCallback         callback,
                              gpointer                    user_data)
{
  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (options != NULL);

  _tc_repository_run_async_full (repository, TC_DB_JOB_WRITE, tick_job,
                                 g_memdup2 (options, sizeof *options), g_free, g_free,
                                 FALSE, cancellable, callback, user_data);
}

gboolean
tc_journey_runner_tick_finish (TcRepository   *repository,
                               GAsyncResult   *result,
                               TcJourneyTick  *tick,
                               GError        **error)
{
  g_autofree TcJourneyTick *done = _tc_repository_run_finish (repository, result, error);

  if (done == NULL)
    return FALSE;
  if (tick != NULL)
    *tick = *done;

  return TRUE;
}

/* ------------------------------------------------------------------------
 * Running
 */

typedef struct
{
  TcRepository        *repository;
  TcJourneyClock      *clock;
  gint64               until;
  guint                poll_seconds;
  TcJourneyQueuedFunc  queued_func;
  gpointer             queued_data;
  TcJourneyRunTotals   totals;
  gint64               wake_at;
  guint                timeout_id;
} RunData;

static void
run_data_free (RunData *data)
{
  g_clear_handle_id (&data->timeout_id, g_source_remove);
  g_clear_object (&data->repository);
  g_free (data);
}

static void run_next (GTask *task);

static void
run_done (GTask *task)
{
  RunData *data = g_task_get_task_data (task);

  data->totals.clock = tc_journey_clock_now (data->clock);
  g_task_return_pointer (task, g_memdup2 (&data->totals, sizeof data->totals), g_free);
  g_object_unref (task);
}

static gboolean
sleep_cb (gpointer user_data)
{
  GTask *task = user_data;
  RunData *data = g_task_get_task_data (task);

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      data->timeout_id = 0;
      run_done (task);
      return G_SOURCE_REMOVE;
    }
  if (tc_journey_clock_now (data->clock) < data->wake_at)
    return G_SOURCE_CONTINUE;

  data->timeout_id = 0;
  run_next (task);

  return G_SOURCE_REMOVE;
}

static void
on_tick_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  TcJourneyTick tick;
  gint64 now;

  if (!tc_journey_runner_tick_finish (data->repository, result, &tick, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        run_done (task);
      else
        {
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
        }
      return;
    }

  data->totals.ticks++;
  data->totals.events += tick.events;
  data->totals.enrolled += tick.enrolled;
  data->totals.converted += tick.converted;
  data->totals.steps += tick.steps;
  data->totals.queued += tick.queued;
  data->totals.skipped += tick.skipped;
  data->totals.finished += tick.finished;
  if (tick.queued > 0 && data->queued_func != NULL)
    data->queued_func (tick.queued, data->queued_data);

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      run_done (task);
      return;
    }
  if (tick.more)
    {
      run_next (task);
      return;
    }

  /* A date trigger always has a next date: the simulated clock stops
   * for it only on a run with an end, or it would never end. */
  if (tick.next_trigger > 0 && (data->until > 0 || !tc_journey_clock_is_simulated (data->clock)) &&
      (tick.next_due == 0 || tick.next_trigger < tick.next_due))
    tick.next_due = tick.next_trigger;

  if (tc_journey_clock_is_simulated (data->clock))
    {
      if (tick.next_due == 0 || (data->until > 0 && tick.next_due > data->until))
        {
          if (data->until > 0)
            tc_journey_clock_jump (data->clock, data->until);
          run_done (task);
          return;
        }
      tc_journey_clock_jump (data->clock, tick.next_due);
      run_next (task);
      return;
    }

  now = tc_journey_clock_now (data->clock);
  if (data->until > 0 && now >= data->until)
    {
      run_done (task);
      return;
    }
  data->wake_at = now + (data->poll_seconds > 0 ? data->poll_seconds : 5);
  if (tick.next_due > 0 && tick.next_due < data->wake_at)
    data->wake_at = tick.next_due;
  if (data->until > 0 && data->until < data->wake_at)
    data->wake_at = data->until;
  data->timeout_id = g_timeout_add_full (G_PRIORITY_DEFAULT, 200, sleep_cb, task, NULL);
}

static void
run_next (GTask *task)
{
  RunData *data = g_task_get_task_data (task);
  TcJourneyTickOptions options = { 0, };

  options.now = tc_journey_clock_now (data->clock);
  tc_journey_runner_tick_async (data->repository, &options, NULL, on_tick_cb, task);
}

void
tc_journey_runner_run_async (TcRepository        *repository,
                             TcJourneyClock      *clock,
                             gint64               until,
                             guint                poll_seconds,
                             TcJourneyQueuedFunc  queued_func,
                             gpointer             queued_data,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  RunData *data;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (clock != NULL);

  task = g_task_new (repository, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_journey_runner_run_async);
  /* Cancelling ends the run with its totals, not with an error. */
  g_task_set_check_cancellable (task, FALSE);
  data = g_new0 (RunData, 1);
  data->repository = g_object_ref (repository);
  data->clock = clock;
  data->until = until;
  data->poll_seconds = poll_seconds;
  data->queued_func = queued_func;
  data->queued_data = queued_data;
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);

  run_next (task);
}

gboolean
tc_journey_runner_run_finish (TcRepository        *repository,
                              GAsyncResult        *result,
                              TcJourneyRunTotals  *totals,
                              GError             **error)
{
  g_autofree TcJourneyRunTotals *done = NULL;

  g_return_val_if_fail (g_task_is_valid (result, repository), FALSE);

  done = g_task_propagate_pointer (G_TASK (result), error);
  if (done == NULL)
    return FALSE;
  if (totals != NULL)
    *totals = *done;

  return TRUE;
}

/* ------------------------------------------------------------------------
 * Statistics
 */

static void
node_stats_free (TcJourneyNodeStats *stats)
{
  g_free (stats->node);
  g_free (stats->kind);
  g_free (stats->label);
  g_free (stats);
}

void
tc_journey_stats_free (TcJourneyStats *stats)
{
  if (stats == NULL)
    return;
  g_clear_pointer (&stats->nodes, g_ptr_array_unref);
  g_free (stats);
}

static TcJourneyNodeStats *
stats_node (TcJourneyStats *stats,
            GHashTable     *by_id,
            const char     *id)
{
  TcJourneyNodeStats *node = g_hash_table_lookup (by_id, id);

  if (node == NULL)
    {
      node = g_new0 (TcJourneyNodeStats, 1);
      node->node = g_strdup (id);
      node->kind = g_strdup ("");
      node->label = g_strdup ("");
      g_ptr_array_add (stats->nodes, node);
      g_hash_table_insert (by_id, node->node, node);
    }

  return node;
}

static gpointer
stats_job (TcDb          *db,
           gpointer       job_data,
           GCancellable  *cancellable,
           GError       **error)
{
  gint64 id = *(gint64 *) job_data;
  g_autoptr(TcJourneyStats) stats = g_new0 (TcJourneyStats, 1);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(TcJourney) journey = NULL;
  static const char * const tallies[] = { "passed", "sent" };
  sqlite3_stmt *stmt;
  int rc;

  stats->journey_id = id;
  stats->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) node_stats_free);

  stmt = _tc_db_prepare (db,
                         "SELECT v.graph FROM journeys j JOIN journey_versions v"
                         " ON v.journey_id = j.id AND v.version = j.current_version WHERE j.id = ?1",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    journey = tc_journey_new_from_data ((const char *) sqlite3_column_text (stmt, 0), -1, NULL);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_NOT_FOUND,
                   "There is no journey %" G_GINT64_FORMAT "; `textcast-cli journey list` "
                   "shows the journeys", id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _tc_db_set_error (db, error, "Cannot read the journey");
      return NULL;
    }
  for (guint i = 0; journey != NULL && i < tc_journey_get_n_nodes (journey); i++)
    {
      const TcJourneyNode *node = tc_journey_get_node (journey, i);
      TcJourneyNodeStats *entry = stats_node (stats, by_id, node->id);

      g_free (entry->kind);
      entry->kind = g_strdup (tc_journey_node_kind_to_string (node->kind));
      g_free (entry->label);
      entry->label = g_strdup (node->label);
    }

  stmt = _tc_db_prepare (db,
                         "SELECT node, count (*), sum (state IN ('active', 'waiting')),"
                         "  sum (state = 'converted'), sum (state IN ('completed', 'exited')),"
                         "  sum (state = 'failed')"
                         " FROM journey_enrollments WHERE journey_id = ?1 GROUP BY node",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TcJourneyNodeStats *node = stats_node (stats, by_id, (const char *) sqlite3_column_text (stmt, 0));

      node->waiting += sqlite3_column_int64 (stmt, 2);
      node->converted += sqlite3_column_int64 (stmt, 3);
      stats->enrolled += sqlite3_column_int64 (stmt, 1);
      stats->active += sqlite3_column_int64 (stmt, 2);
      stats->converted += sqlite3_column_int64 (stmt, 3);
      stats->completed += sqlite3_column_int64 (stmt, 4);
      stats->failed += sqlite3_column_int64 (stmt, 5);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot count the journey's contacts");
      return NULL;
    }

  for (guint t = 0; t < G_N_ELEMENTS (tallies); t++)
    {
      g_autofree char *path = g_strdup_printf ("$." RUNNER_MEMBER ".%s", tallies[t]);

      stmt = _tc_db_prepare (db,
                             "SELECT p.key, sum (p.value) FROM journey_enrollments e,"
                             "  json_each (e.context, ?2) p"
                             " WHERE e.journey_id = ?1 GROUP BY p.key",
                             error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_text (stmt, 2, path, -1, SQLITE_TRANSIENT);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          TcJourneyNodeStats *node = stats_node (stats, by_id,
                                                 (const char *) sqlite3_column_text (stmt, 0));

          if (t == 0)
            node->passed += sqlite3_column_int64 (stmt, 1);
          else
            node->sent += sqlite3_column_int64 (stmt, 1);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          _tc_db_set_error (db, error, "Cannot count the journey's steps");
          return NULL;
        }
    }

  return g_steal_pointer (&stats);
}

void
tc_journey_runner_stats_async (TcRepository        *repository,
                               gint64               id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (TC_IS_REPOSITORY (repository));

  _tc_repository_run_async (repository, TC_DB_JOB_READ, stats_job,
                            g_memdup2 (&id, sizeof id), g_free,
                            (GDestroyNotify) tc_journey_stats_free,
                            cancellable, callback, user_data);
}

TcJourneyStats *
tc_journey_runner_stats_finish (TcRepository  *repository,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _tc_repository_run_finish (repository, result, error);
}
