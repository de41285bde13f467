/* tc-phone-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What tc-phone.cc needs from tc-phone-zones.c, and what the tests check
 * directly. Not for use elsewhere.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE if tzdata lists more than one zone for @region, i.e. when a location
 * can narrow the answer and is worth asking the geocoder for. */
gboolean   _tc_phone_region_has_several_zones (const char *region);

/* As tc_phone_timezones_for(), and when the location says nothing useful,
 * the first digits of @national_number (the national significant number,
 * may be NULL) narrow the candidates where the numbering plan follows the
 * zones (Australia's area codes). */
char     **_tc_phone_timezones_for_number     (const char *region,
                                               const char *location,
                                               const char *national_number);

/* Checks the built-in location → zone table against tzdata: returns the
 * number of rules naming a zone tzdata does not list for that country, and
 * appends a line per problem to @report. */
guint      _tc_phone_zone_rules_verify        (GString    *report);

G_END_DECLS
