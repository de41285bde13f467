/* bench-gate.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How many send-gate decisions one core makes per second with a cached
 * policy: 1,000,000 synthetic recipients (seed fixed) from 14 countries,
 * with one zone, several candidate zones, or none (the country's zones,
 * 29 of them for a US number), most opted in and some opted out, pending
 * or never asked, SMS and WhatsApp, promotional and transactional, at
 * random instants of a week so that about a third land in quiet hours.
 * The recipients are built first; only tc_gate_decide() is timed, on this
 * thread, after one warm-up pass that fills the policy's zone caches.
 * Prints its figures; never fails on a slow machine.
 *
 *   bench-gate [N]     N recipients, default 1000000 (or $BENCH_ROWS)
 */

#define G_LOG_DOMAIN "bench-gate"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tc-gate.h"
#include "tc-senders.h"

typedef struct
{
  const char *country;
  const char *subdivision;
  const char *phone;
  const char *zones;     /* space-separated; NULL = none given (the country's) */
  guint       weight;
} Place;

static const Place places[] = {
  { "US", NULL, "+12125550100", "America/New_York", 14 },
  { "US", "CA", "+16505550100", "America/Los_Angeles", 8 },
  { "US", "IL", "+13125550100", "America/Chicago", 6 },
  { "US", "CO", "+13035550100", "America/Denver", 3 },
  { "US", "FL", "+13055550100", "America/New_York", 5 },
  { "US", "FL", "+18505550100", "America/Chicago America/New_York", 1 },
  { "US", "TX", "+12815550100", "America/Chicago", 5 },
  { "US", "TX", "+19155550100", "America/Chicago America/Denver", 1 },
  { "US", NULL, "+15555550100", NULL, 2 },
  { "CA", "ON", "+14165550100", "America/Toronto", 4 },
  { "CA", "BC", "+16045550100", "America/Vancouver", 2 },
  { "GB", NULL, "+447400123456", "Europe/London", 8 },
  { "DE", NULL, "+4915123456789", "Europe/Berlin", 6 },
  { "FR", NULL, "+33612345678", "Europe/Paris", 6 },
  { "ES", NULL, "+34612345678", "Atlantic/Canary Europe/Madrid", 3 },
  { "IT", NULL, "+393123456789", NULL, 3 },
  { "NL", NULL, "+31612345678", "Europe/Amsterdam", 2 },
  { "IN", NULL, "+919812345678", "Asia/Kolkata", 6 },
  { "BR", NULL, "+5511912345678", "America/Sao_Paulo", 5 },
  { "MX", NULL, "+525512345678", "America/Mexico_City", 4 },
  { "AU", NULL, "+61412345678", "Australia/Sydney", 3 },
  { "AU", NULL, "+61812345678", "Australia/Adelaide Australia/Broken_Hill Australia/Darwin "
                                "Australia/Eucla Australia/Perth", 1 },
  { "AU", NULL, "+61400000000", NULL, 1 },
  { "JP", NULL, "+819012345678", "Asia/Tokyo", 1 },
};

static double
thread_cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static guint64
decide_all (const TcGatePolicy    *policy,
            const TcGateRecipient *recipients,
            const TcGateMessage   *messages,
            guint                  n,
            guint                  counts[3],
            guint                 *quiet)
{
  guint64 checksum = 0;

  for (guint i = 0; i < n; i++)
    {
      TcGateDecision d;

      tc_gate_decide (policy, &recipients[i], &messages[i], &d);
      counts[d.decision]++;
      *quiet += d.reason == TC_GATE_REASON_QUIET_HOURS;
      checksum = checksum * 31 + (guint64) d.until + d.reason;
    }

  return checksum;
}

int
main (int   argc,
      char *argv[])
{
  const char *rows = g_getenv ("BENCH_ROWS");
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10)
                     : rows != NULL ? (guint) g_ascii_strtoull (rows, NULL, 10) : 1000000;
  g_autoptr(TcGatePolicy) policy = tc_gate_policy_new_default ();
  g_autoptr(TcSender) both = tc_sender_new ("+14155550100", TC_SENDER_TYPE_LONG_CODE,
                                            TC_SENDER_USE_BOTH);
  g_autoptr(TcSender) transactional = tc_sender_new ("+14155550101", TC_SENDER_TYPE_LONG_CODE,
                                                     TC_SENDER_USE_TRANSACTIONAL);
  g_autoptr(GPtrArray) zone_lists = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  TcGateRecipient *recipients;
  TcGateMessage *messages;
  GRand *rand = g_rand_new_with_seed (4242);
  guint total_weight = 0;
  gint64 week_start;
  guint counts[3] = { 0, };
  guint warm_counts[3] = { 0, };
  guint quiet = 0, warm_quiet = 0;
  guint64 checksum;
  double cpu, wall;
  gint64 wall_start;

  if (n == 0)
    n = 1000000;

  for (guint i = 0; i < G_N_ELEMENTS (places); i++)
    {
      g_ptr_array_add (zone_lists, places[i].zones != NULL ? g_strsplit (places[i].zones, " ", -1)
                                                           : NULL);
      total_weight += places[i].weight;
    }

  /* Monday 2026-06-08 00:00 UTC. */
  week_start = 1780876800;

  recipients = g_new0 (TcGateRecipient, n);
  messages = g_new0 (TcGateMessage, n);
  for (guint i = 0; i < n; i++)
    {
      TcGateRecipient *r = &recipients[i];
      TcGateMessage *m = &messages[i];
      guint pick = (guint) g_rand_int_range (rand, 0, (gint32) total_weight);
      guint p = 0;
      guint k;

      while (pick >= places[p].weight)
        pick -= places[p++].weight;

      r->phone = places[p].phone;
      r->number_valid = g_rand_int_range (rand, 0, 200) != 0;
      r->line_type = g_rand_int_range (rand, 0, 50) == 0 ? TC_PHONE_TYPE_FIXED_LINE
                                                         : TC_PHONE_TYPE_MOBILE;
      r->country = places[p].country;
      r->subdivision = places[p].subdivision;
      r->timezones = g_ptr_array_index (zone_lists, p);
      r->erased = g_rand_int_range (rand, 0, 1000) == 0;
      k = (guint) g_rand_int_range (rand, 0, 100);
      r->consent = k < 85 ? TC_CONSENT_STATUS_OPTED_IN
                 : k < 91 ? TC_CONSENT_STATUS_OPTED_OUT
                 : k < 96 ? TC_CONSENT_STATUS_NONE
                 : k < 98 ? TC_CONSENT_STATUS_PENDING : TC_CONSENT_STATUS_EXPIRED;
      r->recent_promotional = g_rand_int_range (rand, 0, 20) == 0 ? 1 : 0;

      m->now = week_start + g_rand_int_range (rand, 0, 7 * 24 * 3600);
      r->last_inbound_at = g_rand_boolean (rand)
                           ? m->now - g_rand_int_range (rand, 0, 72 * 3600) : 0;
      m->channel = g_rand_int_range (rand, 0, 5) == 0 ? TC_CHANNEL_WHATSAPP : TC_CHANNEL_SMS;
      m->purpose = g_rand_int_range (rand, 0, 8) == 0 ? TC_PURPOSE_TRANSACTIONAL
                                                      : TC_PURPOSE_PROMOTIONAL;
      if (m->channel == TC_CHANNEL_WHATSAPP)
        {
          m->content = g_rand_int_range (rand, 0, 4) == 0 ? TC_GATE_CONTENT_TEXT
                                                          : TC_GATE_CONTENT_TEMPLATE;
          m->wa_category = m->purpose == TC_PURPOSE_PROMOTIONAL ? TC_GATE_WA_CATEGORY_MARKETING
                                                                : TC_GATE_WA_CATEGORY_UTILITY;
          m->template_approved = g_rand_int_range (rand, 0, 20) != 0;
        }
      else
        m->content = g_rand_int_range (rand, 0, 100) == 0 ? TC_GATE_CONTENT_COMPLIANCE_REPLY
                                                          : TC_GATE_CONTENT_TEXT;
      m->sender = g_rand_int_range (rand, 0, 50) == 0 ? transactional : both;
    }
  g_rand_free (rand);

  /* Warm-up: every zone and country meets the caches once. */
  decide_all (policy, recipients, messages, n, warm_counts, &warm_quiet);

  wall_start = g_get_monotonic_time ();
  cpu = thread_cpu_seconds ();
  checksum = decide_all (policy, recipients, messages, n, counts, &quiet);
  cpu = thread_cpu_seconds () - cpu;
  wall = (double) (g_get_monotonic_time () - wall_start) / 1e6;

  g_assert_cmpuint (counts[TC_GATE_SEND], ==, warm_counts[TC_GATE_SEND]);
  g_assert_cmpuint (quiet, ==, warm_quiet);

  g_print ("tc_gate_decide, %u recipients, one thread, policy cached\n", n);
  g_print ("  send %u (%.1f %%), defer %u (%.1f %%, all quiet hours), skip %u (%.1f %%)\n",
           counts[TC_GATE_SEND], 100.0 * counts[TC_GATE_SEND] / n,
           counts[TC_GATE_DEFER], 100.0 * counts[TC_GATE_DEFER] / n,
           counts[TC_GATE_SKIP], 100.0 * counts[TC_GATE_SKIP] / n);
  g_print ("  thread CPU time %.3f s: %.0f decisions/s (%.0f ns each)\n",
           cpu, n / cpu, cpu * 1e9 / n);
  g_print ("  wall time       %.3f s: %.0f decisions/s\n", wall, n / wall);
  g_print ("  target >= 500000 decisions/s on one core: %s (checksum %" G_GINT64_MODIFIER "x)\n",
           n / cpu >= 500000 ? "met" : "NOT met", checksum);

  g_free (recipients);
  g_free (messages);

  return EXIT_SUCCESS;
}
