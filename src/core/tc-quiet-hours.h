/* tc-quiet-hours.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * When promotional messages may be sent, in the recipient's local time: a
 * rule table per country and per subdivision (US state, Canadian
 * province), each rule giving the allowed window per weekday. The defaults
 * are conservative (08:00–21:00 where nothing stricter applies; stricter
 * state and country rules such as Florida's 08:00–20:00 or France's
 * "not on Sundays"); the user can edit them (setting quiet_hours.rules).
 * Pure: no database; safe on any thread once built.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TcQuietHours TcQuietHours;

/* One rule. start/end are minutes after local midnight, start < end; an
 * allowed window is [start, end). A day with start == end == 0 allows
 * nothing. days[0] is Monday … days[6] Sunday. */
typedef struct
{
  char   country[3];       /* "US"; "*" for the default rule */
  char   subdivision[4];   /* "FL", or "" for the whole country */
  struct { guint16 start, end; } days[7];
  const char *note;        /* why (the law or custom), may be NULL; owned */
} TcQuietHoursRule;

TcQuietHours *tc_quiet_hours_new_default   (void);
/* Parses the JSON form (the setting quiet_hours.rules):
 *   [{"country":"US","subdivision":"FL","windows":{"mon-sat":"08:00-20:00","sun":"12:00-20:00"},
 *     "note":"Florida Telephone Solicitation Act"}, {"country":"*", …}]
 * A rule table must contain a "*" rule. Fails with G_IO_ERROR_INVALID_DATA
 * naming the rule (by index and country) and the bad value.
 * Window keys: a day ("mon" … "sun"), a range ("mon-fri"), a comma list of
 * either ("sat,sun"), or "daily". Values: "HH:MM-HH:MM" (start before end;
 * "24:00" may end a window) or "closed". A day no key names is closed; a
 * rule must leave at least one day open. tc_quiet_hours_to_json() writes
 * runs of equal days as ranges and leaves closed days out, and reading it
 * back gives the same table. */
TcQuietHours *tc_quiet_hours_new_from_json (const char          *json,
                                            GError             **error);
char         *tc_quiet_hours_to_json       (const TcQuietHours  *quiet_hours);
void          tc_quiet_hours_free          (TcQuietHours        *quiet_hours);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcQuietHours, tc_quiet_hours_free)

guint                   tc_quiet_hours_get_n_rules (const TcQuietHours *quiet_hours);
const TcQuietHoursRule *tc_quiet_hours_get_rule    (const TcQuietHours *quiet_hours,
                                                    guint               index);

/* The rule that applies to @country / @subdivision (either may be NULL):
 * the subdivision's, else the country's, else the default. Never NULL. */
const TcQuietHoursRule *tc_quiet_hours_lookup      (const TcQuietHours *quiet_hours,
                                                    const char         *country,
                                                    const char         *subdivision);

/* Whether @when (unix seconds) is inside the allowed window of @rule in
 * every zone of @zones (IANA names; NULL-terminated, non-empty). If not,
 * *@next is set to the earliest later time that is allowed in all of them
 * at once (DST included), or 0 when there is none within 14 days. */
gboolean      tc_quiet_hours_allows        (const TcQuietHours     *quiet_hours,
                                            const TcQuietHoursRule *rule,
                                            const char * const     *zones,
                                            gint64                  when,
                                            gint64                 *next);
/* As tc_quiet_hours_allows(), and when not allowed, *@zone (may be NULL) is
 * set to the zone that held the message back longest: the one whose window
 * opening decided *@next (or, when there is no such time, the zone where
 * the search gave up); it points into @zones. Allocates nothing once each
 * zone has been seen (GTimeZones are cached inside @quiet_hours behind a
 * read-write lock, so one table can be shared between threads). */
gboolean      tc_quiet_hours_check         (const TcQuietHours     *quiet_hours,
                                            const TcQuietHoursRule *rule,
                                            const char * const     *zones,
                                            gint64                  when,
                                            gint64                 *next,
                                            const char            **zone);

G_END_DECLS
