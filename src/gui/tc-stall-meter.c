/* tc-stall-meter.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-stall-meter"

#include "config.h"

#include "tc-stall-meter.h"

#include <gio/gio.h>

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

/* The report as text: built on the main thread (a few hundred lines). */
static GBytes *
format_report (TcStallMeter *self)
{
  GString *report = g_string_new (NULL);

  g_string_append_printf (report, "max_ms %.1f\nticks %" G_GUINT64_FORMAT "\n"
                          "over_50ms %" G_GUINT64_FORMAT "\n"
                          "over_100ms %" G_GUINT64_FORMAT "\n",
                          self->max_late / 1000.0, self->ticks, self->over_50, self->over_100);
  for (guint i = 0; i < self->n_listed; i++)
    g_string_append_printf (report, "stall %.1f ms at %.3f\n",
                            self->listed_late[i] / 1000.0, self->listed_at[i] / (double) G_USEC_PER_SEC);

  return g_string_free_to_bytes (report);
}

/* Replaces the file by a new one, without fsync(): the report is read by
 * the benchmark, not kept through a power cut. */
static void
save (const char *path,
      GBytes     *bytes)
{
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  if (!g_file_set_contents_full (path, data, size, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &error))
    g_message ("Cannot write the stall report: %s", error->message);
}

/* Whether a report is being written: one at a time (one meter per app). */
static gint saving;

static void
save_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  save (g_object_get_data (G_OBJECT (task), "path"), task_data);
  g_atomic_int_set (&saving, 0);
  g_task_return_boolean (task, TRUE);
}

/* Every second: on a thread of its own, never on the main thread. Even a
 * write that skips fsync() can wait on the disk while another process
 * writes a lot (the kernel throttles dirty pages), and the meter would then
 * measure itself: writing with fsync() from the main thread, the benchmark
 * saw the window held 100-190 ms while textcast-cli queued a campaign. A
 * second that comes while a write is going is skipped (the next one has
 * its figures). */
static void
write_report_later (TcStallMeter *self)
{
  g_autoptr(GTask) task = NULL;

  if (!g_atomic_int_compare_and_exchange (&saving, 0, 1))
    return;

  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_source_tag (task, write_report_later);
  g_object_set_data_full (G_OBJECT (task), "path", g_strdup (self->path), g_free);
  g_task_set_task_data (task, format_report (self), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, save_in_thread);
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
  write_report_later (user_data);
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
  /* The last figures, at once: the app is closing. A write still going on
   * its thread is let finish first (at most a second), so that it cannot
   * put older figures over these. */
  for (guint i = 0; i < 100 && g_atomic_int_get (&saving) != 0; i++)
    g_usleep (10 * 1000);
  {
    g_autoptr(GBytes) bytes = format_report (self);

    save (self->path, bytes);
  }
  g_free (self->path);
  g_free (self);
}
