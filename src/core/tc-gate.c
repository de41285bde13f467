/* tc-gate.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The send gate. tc_gate_decide() runs the checks in the order tc-gate.h
 * lists and stops at the first that fails. It is called once per message
 * of a campaign, so it allocates nothing: the quiet-hour table caches its
 * GTimeZones, and the policy caches the zones of each country for
 * recipients whose own zones are unknown. Both caches are filled on first
 * use behind a read-write lock, so one policy can serve several sending
 * threads.
 */

#define G_LOG_DOMAIN "tc-gate"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tc-gate.h"
#include "tc-settings.h"

#define DEFAULT_CAP_COUNT 1
#define DEFAULT_CAP_HOURS 24
/* A cap window longer than a year is surely a mistake. */
#define MAX_CAP_HOURS     (366 * 24)

struct _TcGatePolicy
{
  TcQuietHours *quiet_hours;
  guint         cap_count;
  gint64        cap_window;

  GRWLock       countries_lock;
  /* Country code (owned) → GStrv of its zones (owned), never empty: a
   * country tzdata does not know maps to { "UTC" }. */
  GHashTable   *country_zones;
};

/* Used when neither the recipient nor its country gives a zone (no
 * country, or one tzdata does not list): UTC is the only clock left to go
 * by. */
static const char * const utc_zones[] = { "UTC", NULL };

static const struct
{
  const char *code;
  const char *description;
} reasons[] = {
  [TC_GATE_REASON_NONE] = { NULL, NULL },
  [TC_GATE_REASON_ERASED] =
    { "erased", "The person's data was erased and the number is on the suppression list" },
  [TC_GATE_REASON_INVALID_NUMBER] =
    { "invalid_number", "The phone number is not valid" },
  [TC_GATE_REASON_LANDLINE] =
    { "landline", "The number is a landline, which cannot receive text messages" },
  [TC_GATE_REASON_OPTED_OUT] =
    { "opted_out", "Opted out of this channel and purpose" },
  [TC_GATE_REASON_NO_CONSENT] =
    { "no_consent", "No consent for this channel and purpose" },
  [TC_GATE_REASON_SENDER_TRANSACTIONAL] =
    { "sender_transactional",
      "The sender is not registered for this purpose (promotional messages need a sender "
      "registered for promotional use)" },
  [TC_GATE_REASON_SENDER_COUNTRY] =
    { "sender_country", "The sender does not serve the recipient's country" },
  [TC_GATE_REASON_WA_MARKETING_US] =
    { "wa_marketing_us", "WhatsApp does not deliver marketing templates to +1 (US) numbers" },
  [TC_GATE_REASON_WA_TEMPLATE_REQUIRED] =
    { "wa_template_required",
      "More than 24 hours since the person last wrote on WhatsApp: only an approved template "
      "may be sent" },
  [TC_GATE_REASON_WA_TEMPLATE_NOT_APPROVED] =
    { "wa_template_not_approved", "The WhatsApp template is not approved" },
  [TC_GATE_REASON_FREQUENCY_CAP] =
    { "frequency_cap",
      "The limit of promotional messages for this person in the time window is reached" },
  [TC_GATE_REASON_QUIET_HOURS] =
    { "quiet_hours", "Quiet hours in the recipient's time zone" },
};

const char *
tc_gate_decision_kind_to_string (TcGateDecisionKind kind)
{
  switch (kind)
    {
    case TC_GATE_SEND:
      return "send";
    case TC_GATE_DEFER:
      return "defer";
    case TC_GATE_SKIP:
      return "skip";
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
tc_gate_reason_to_string (TcGateReason reason)
{
  g_return_val_if_fail ((guint) reason < G_N_ELEMENTS (reasons), NULL);

  return reasons[reason].code;
}

const char *
tc_gate_reason_describe (TcGateReason reason)
{
  g_return_val_if_fail ((guint) reason < G_N_ELEMENTS (reasons), NULL);

  return reasons[reason].description;
}

/* Policy */

static TcGatePolicy *
policy_new (TcQuietHours *quiet_hours,
            guint         cap_count,
            gint64        cap_window)
{
  TcGatePolicy *self = g_new0 (TcGatePolicy, 1);

  self->quiet_hours = quiet_hours;
  self->cap_count = cap_count;
  self->cap_window = cap_window;
  g_rw_lock_init (&self->countries_lock);
  self->country_zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) g_strfreev);

  return self;
}

TcGatePolicy *
tc_gate_policy_new_default (void)
{
  return policy_new (tc_quiet_hours_new_default (), DEFAULT_CAP_COUNT,
                     (gint64) DEFAULT_CAP_HOURS * 3600);
}

static gboolean
parse_setting_number (GHashTable  *settings,
                      const char  *key,
                      guint64      min,
                      guint64      max,
                      guint64      fallback,
                      const char  *what,
                      guint64     *out,
                      GError     **error)
{
  const char *value = settings != NULL ? g_hash_table_lookup (settings, key) : NULL;
  g_autofree char *stripped = NULL;

  *out = fallback;
  if (value == NULL)
    return TRUE;

  stripped = g_strstrip (g_strdup (value));
  if (stripped[0] == '\0')
    return TRUE;

  if (!g_ascii_string_to_unsigned (stripped, 10, min, max, out, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The setting %s is “%s”: it must be %s, a whole number from %"
                   G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT,
                   key, value, what, min, max);
      return FALSE;
    }

  return TRUE;
}

TcGatePolicy *
tc_gate_policy_new_from_settings (GHashTable  *settings,
                                  GError     **error)
{
  g_autoptr(TcQuietHours) quiet_hours = NULL;
  const char *rules;
  guint64 count, hours;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  rules = settings != NULL ? g_hash_table_lookup (settings, TC_SETTING_QUIET_HOURS_RULES) : NULL;
  if (rules != NULL && rules[strspn (rules, " \t\r\n")] != '\0')
    {
      g_autoptr(GError) local_error = NULL;

      quiet_hours = tc_quiet_hours_new_from_json (rules, &local_error);
      if (quiet_hours == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "The setting %s is not a usable rule table: %s. Fix it, or remove the "
                       "setting to use the built-in rules",
                       TC_SETTING_QUIET_HOURS_RULES, local_error->message);
          return NULL;
        }
    }
  else
    quiet_hours = tc_quiet_hours_new_default ();

  if (!parse_setting_number (settings, TC_SETTING_CAP_COUNT, 0, 1000, DEFAULT_CAP_COUNT,
                             "the number of promotional messages allowed per window (0 for "
                             "no cap)", &count, error))
    return NULL;

  if (!parse_setting_number (settings, TC_SETTING_CAP_HOURS, 1, MAX_CAP_HOURS, DEFAULT_CAP_HOURS,
                             "the length of the cap window in hours", &hours, error))
    return NULL;

  return policy_new (g_steal_pointer (&quiet_hours), (guint) count, (gint64) hours * 3600);
}

void
tc_gate_policy_free (TcGatePolicy *policy)
{
  if (policy == NULL)
    return;

  tc_quiet_hours_free (policy->quiet_hours);
  g_hash_table_unref (policy->country_zones);
  g_rw_lock_clear (&policy->countries_lock);
  g_free (policy);
}

const TcQuietHours *
tc_gate_policy_get_quiet_hours (const TcGatePolicy *policy)
{
  g_return_val_if_fail (policy != NULL, NULL);

  return policy->quiet_hours;
}

guint
tc_gate_policy_get_cap_count (const TcGatePolicy *policy)
{
  g_return_val_if_fail (policy != NULL, 0);

  return policy->cap_count;
}

gint64
tc_gate_policy_get_cap_window (const TcGatePolicy *policy)
{
  g_return_val_if_fail (policy != NULL, 0);

  return policy->cap_window;
}

/* The zones of @country (upper or lower case), from tzdata through
 * tc_phone_timezones_for(), computed once per country. */
static const char * const *
country_zones (const TcGatePolicy *policy,
               const char         *country)
{
  TcGatePolicy *self = (TcGatePolicy *) policy;
  char key[3];
  char **zones;

  if (country == NULL || strlen (country) != 2)
    return utc_zones;

  key[0] = g_ascii_toupper (country[0]);
  key[1] = g_ascii_toupper (country[1]);
  key[2] = '\0';

  g_rw_lock_reader_lock (&self->countries_lock);
  zones = g_hash_table_lookup (self->country_zones, key);
  g_rw_lock_reader_unlock (&self->countries_lock);

  if G_LIKELY (zones != NULL)
    return (const char * const *) zones;

  g_rw_lock_writer_lock (&self->countries_lock);
  zones = g_hash_table_lookup (self->country_zones, key);
  if (zones == NULL)
    {
      zones = tc_phone_timezones_for (key, NULL);
      if (zones[0] == NULL)
        {
          g_strfreev (zones);
          zones = g_strdupv ((char **) utc_zones);
        }
      g_hash_table_insert (self->country_zones, g_strdup (key), zones);
    }
  g_rw_lock_writer_unlock (&self->countries_lock);

  /* Entries stay until the policy is freed. */
  return (const char * const *) zones;
}

/* Decision */

static gboolean
is_plus_one (const TcGateRecipient *recipient)
{
  if (recipient->phone != NULL && recipient->phone[0] != '\0')
    return recipient->phone[0] == '+' && recipient->phone[1] == '1';

  return recipient->country != NULL && g_ascii_strcasecmp (recipient->country, "US") == 0;
}

/* The checks of tc-gate.h in their order: the reason of the first that
 * fails, or NONE. Quiet hours also give the time and the zone. */
static TcGateReason
check (const TcGatePolicy    *policy,
       const TcGateRecipient *recipient,
       const TcGateMessage   *message,
       gint64                *until,
       const char           **zone)
{
  if (recipient->erased)
    return TC_GATE_REASON_ERASED;
  if (!recipient->number_valid)
    return TC_GATE_REASON_INVALID_NUMBER;

  /* A STOP confirmation, a HELP answer or a double opt-in request answers
   * the person: consent, senders, windows, caps and quiet hours do not
   * apply to it. */
  if (message->content == TC_GATE_CONTENT_COMPLIANCE_REPLY)
    return TC_GATE_REASON_NONE;

  if (message->channel == TC_CHANNEL_SMS && recipient->line_type == TC_PHONE_TYPE_FIXED_LINE)
    return TC_GATE_REASON_LANDLINE;

  if (recipient->consent == TC_CONSENT_STATUS_OPTED_OUT)
    return TC_GATE_REASON_OPTED_OUT;
  if (recipient->consent != TC_CONSENT_STATUS_OPTED_IN)
    return TC_GATE_REASON_NO_CONSENT;

  if (message->sender != NULL)
    {
      if (!tc_sender_allows_purpose (message->sender, message->purpose))
        return TC_GATE_REASON_SENDER_TRANSACTIONAL;
      /* A recipient of unknown country goes only through a sender that
       * serves any country (tc_sender_serves_country() says so). */
      if (!tc_sender_serves_country (message->sender, recipient->country))
        return TC_GATE_REASON_SENDER_COUNTRY;
    }

  if (message->channel == TC_CHANNEL_WHATSAPP)
    {
      if (message->content == TC_GATE_CONTENT_TEMPLATE &&
          message->wa_category == TC_GATE_WA_CATEGORY_MARKETING &&
          is_plus_one (recipient))
        return TC_GATE_REASON_WA_MARKETING_US;

      /* Free-form text only inside the customer-service window, which
       * closes exactly 24 hours after the person's last message. */
      if (message->content == TC_GATE_CONTENT_TEXT &&
          (recipient->last_inbound_at <= 0 ||
           message->now >= recipient->last_inbound_at + TC_GATE_WA_WINDOW_SECONDS))
        return TC_GATE_REASON_WA_TEMPLATE_REQUIRED;

      if (message->content == TC_GATE_CONTENT_TEMPLATE && !message->template_approved)
        return TC_GATE_REASON_WA_TEMPLATE_NOT_APPROVED;
    }

  /* Transactional messages are held by neither the cap nor quiet hours. */
  if (message->purpose == TC_PURPOSE_PROMOTIONAL)
    {
      const TcQuietHoursRule *rule;
      const char * const *zones = recipient->timezones;

      if (policy->cap_count > 0 && recipient->recent_promotional >= policy->cap_count)
        return TC_GATE_REASON_FREQUENCY_CAP;

      if (zones == NULL || zones[0] == NULL)
        zones = country_zones (policy, recipient->country);

      rule = tc_quiet_hours_lookup (policy->quiet_hours, recipient->country,
                                    recipient->subdivision);
      if (!tc_quiet_hours_check (policy->quiet_hours, rule, zones, message->now, until, zone))
        return TC_GATE_REASON_QUIET_HOURS;
    }

  return TC_GATE_REASON_NONE;
}

void
tc_gate_decide (const TcGatePolicy    *policy,
                const TcGateRecipient *recipient,
                const TcGateMessage   *message,
                TcGateDecision        *decision)
{
  const char *zone = NULL;
  gint64 until = 0;

  g_return_if_fail (policy != NULL);
  g_return_if_fail (recipient != NULL);
  g_return_if_fail (message != NULL);
  g_return_if_fail (decision != NULL);

  decision->reason = check (policy, recipient, message, &until, &zone);
  decision->until = 0;
  decision->zone[0] = '\0';

  if (decision->reason == TC_GATE_REASON_NONE)
    {
      decision->decision = TC_GATE_SEND;
    }
  else if (decision->reason == TC_GATE_REASON_QUIET_HOURS)
    {
      /* until stays 0 when no instant within 14 days is allowed in every
       * zone at once (rules whose windows never overlap across the
       * number's zones): the message waits, and the JSON says "until":
       * null. */
      decision->decision = TC_GATE_DEFER;
      decision->until = until;
      if (zone != NULL)
        g_strlcpy (decision->zone, zone, sizeof decision->zone);
    }
  else
    {
      decision->decision = TC_GATE_SKIP;
    }
}

char *
tc_gate_decision_to_json (const TcGateDecision *decision)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (decision != NULL, NULL);

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "decision");
  json_builder_add_string_value (builder, tc_gate_decision_kind_to_string (decision->decision));

  json_builder_set_member_name (builder, "until");
  if (decision->decision == TC_GATE_DEFER && decision->until != 0)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (decision->until);
      g_autofree char *text = dt != NULL ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : NULL;

      if (text != NULL)
        json_builder_add_string_value (builder, text);
      else
        json_builder_add_null_value (builder);
    }
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "reason");
  if (tc_gate_reason_describe (decision->reason) != NULL)
    json_builder_add_string_value (builder, tc_gate_reason_describe (decision->reason));
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "reason_code");
  if (tc_gate_reason_to_string (decision->reason) != NULL)
    json_builder_add_string_value (builder, tc_gate_reason_to_string (decision->reason));
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "zone");
  if (decision->zone[0] != '\0')
    json_builder_add_string_value (builder, decision->zone);
  else
    json_builder_add_null_value (builder);

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}
