/* tc-stall-meter.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-stall-meter"

#include "config.h"

#include "tc-stall-meter.h"

#define TICK_MS 10
/* Start-up (building the window, its first frames) is not what is measured. */
#define WARM_UP_US (2 * G_USEC_PER_SEC)
/* Stalls over 50 ms are also listed one by one, with when they ended (so
 * a benchmark can tell which action caused which), up to this many. */
#define MAX_LISTED 256

struct _TcStallMeter
{
  char   *path;
  guint   tick_id;
  guint   report_id;
  gint64  started;      /* monotonic µs */
  gint64  expected;     /* monotonic µs the next tick is due */
  gint64  max_late;     /* µs */
  guint64 ticks;
  guint64 over_50;
  guint64 over_100;
  guint   n_listed;
  gint64  listed_late[MAX_LISTED];  /* µs */
  gint64  listed_at[MAX_LISTED];    /* monotonic µs */
};

static void
write_report (TcStallMeter *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("max_ms %.1f\nticks %" G_GUINT64_FORMAT "\n"
                                           "over_50ms %" G_GUINT64_FORMAT "\n"
                                           "over_100ms %" G_GUINT64_FORMAT "\n",
                                           self->max_late / 1000.0, self->ticks,
                                           self->over_50, self->over_100);

  g_autoptr(GString) report = g_string_new (text);

  for (guint i = 0; i < self->n_listed; i++)
    g_string_append_printf (report, "stall %.1f ms at %.3f\n",
                            self->listed_late[i] / 1000.0, self->listed_at[i] / (double) G_USEC_PER_SEC);

  if (!g_file_set_contents (self->path, report->str, report->len, &error))
    g_message ("Cannot write the stall report: %s", error->message);
}

static gboolean
tick_cb (gpointer user_data)
{
  TcStallMeter *self = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 late = now - self->expected;

  self->expected = now + TICK_MS * 1000;
  if (now - self->started < WARM_UP_US)
    return G_SOURCE_CONTINUE;
  if (late > self->max_late)
    self->max_late = late;
  if (late > 50 * 1000)
    {
      self->over_50++;
      if (self->n_listed < MAX_LISTED)
        {
          self->listed_late[self->n_listed] = late;
          self->listed_at[self->n_listed] = now;
          self->n_listed++;
        }
    }
  if (late > 100 * 1000)
    self->over_100++;
  self->ticks++;
  return G_SOURCE_CONTINUE;
}

static gboolean
report_cb (gpointer user_data)
{
  write_report (user_data);
  return G_SOURCE_CONTINUE;
}

TcStallMeter *
tc_stall_meter_new (const char *report_path)
{
  TcStallMeter *self;

  g_return_val_if_fail (report_path != NULL, NULL);

  self = g_new0 (TcStallMeter, 1);
  self->path = g_strdup (report_path);
  self->started = g_get_monotonic_time ();
  self->expected = self->started + TICK_MS * 1000;
  self->tick_id = g_timeout_add_full (G_PRIORITY_HIGH, TICK_MS, tick_cb, self, NULL);
  self->report_id = g_timeout_add_seconds (1, report_cb, self);
  return self;
}

void
tc_stall_meter_free (TcStallMeter *self)
{
  if (self == NULL)
    return;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->report_id, g_source_remove);
  write_report (self);
  g_free (self->path);
  g_free (self);
}
