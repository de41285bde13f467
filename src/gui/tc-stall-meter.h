/* tc-stall-meter.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How long the main loop was kept from answering: a 10 ms timer at high
 * priority notes how late each tick runs, which is how long something on
 * the GUI thread held the loop (a handler, a layout, a paint). For the
 * responsiveness benchmark (tests/bench/bench-responsiveness.sh): the app
 * starts one when TEXTCAST_STALL_REPORT names a file, and the meter
 * writes its figures there every second (from a thread of its own: the
 * main thread never waits on the disk for it) and when stopped (the first
 * two seconds, start-up, are not counted):
 *
 *   max_ms 12.4
 *   ticks 5321
 *   over_50ms 0
 *   over_100ms 0
 *   stall 62.0 ms at 48213.517
 *
 * with one "stall" line for each tick over 50 ms late (the first 256):
 * how late, and when it ran, in seconds of the monotonic clock
 * (CLOCK_MONOTONIC, as Python's time.monotonic ()).
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TcStallMeter TcStallMeter;

TcStallMeter *tc_stall_meter_new  (const char   *report_path);
/* Writes the report a last time and stops. */
void          tc_stall_meter_free (TcStallMeter *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcStallMeter, tc_stall_meter_free)

G_END_DECLS
