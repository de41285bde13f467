/* tc-segment-rows.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The segment builder's rows and the JSON rule they stand for (see
 * src/core/tc-segment.h), both ways, as pure functions: no GTK here, so
 * that tests/gui/test-segment-rows.c checks them without a display.
 *
 * A builder rule is a top-level "all" or "any" list of rows; a row is one
 * condition or a group (one level deep) of conditions.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TC_SEGMENT_ROW_FIELD,
  TC_SEGMENT_ROW_ATTRIBUTE,
  TC_SEGMENT_ROW_TAG,
  TC_SEGMENT_ROW_CONSENT,
  TC_SEGMENT_ROW_ENGAGEMENT,
  TC_SEGMENT_ROW_EVENT,
  TC_SEGMENT_ROW_GROUP,
} TcSegmentRowKind;

/**
 * TcSegmentRow:
 * @kind: what the row tests
 * @name: the field (FIELD: first_name, country, …), the attribute key
 *   (ATTRIBUTE), the tag (TAG), the channel (CONSENT: sms, whatsapp), the
 *   engagement (ENGAGEMENT: received, …) or the event name (EVENT)
 * @op: the operator (FIELD, ATTRIBUTE: equals, in, empty, …; EVENT: the
 *   property condition's = != > >= < <= contains)
 * @value: the value (FIELD, ATTRIBUTE; for "in" a comma-separated list;
 *   EVENT: the property condition's value, a number when it reads as one)
 * @purpose: CONSENT: promotional or transactional
 * @status: CONSENT: none, pending, opted_in, opted_out or expired
 * @channel: ENGAGEMENT: sms, whatsapp, or %NULL / "" for either
 * @property: EVENT: the property condition's property (value, currency,
 *   properties.KEY), or %NULL / "" for no condition
 * @negated: TAG: does not have it; EVENT: did not do it
 * @within_days: ENGAGEMENT (required), EVENT (0: any time)
 * @any: GROUP: any (TRUE) or all (FALSE) of @children
 * @children: GROUP: (element-type TcSegmentRow): its conditions (not groups)
 */
typedef struct
{
  TcSegmentRowKind kind;
  char            *name;
  char            *op;
  char            *value;
  char            *purpose;
  char            *status;
  char            *channel;
  char            *property;
  gboolean         negated;
  guint            within_days;
  gboolean         any;
  GPtrArray       *children;
} TcSegmentRow;

TcSegmentRow *tc_segment_row_new  (TcSegmentRowKind kind);
void          tc_segment_row_free (TcSegmentRow    *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcSegmentRow, tc_segment_row_free)

/* Whether @op (a field operator) takes a value, and whether a list. */
gboolean      tc_segment_op_takes_value (const char *op);

/* The rule for @rows (element-type TcSegmentRow) under "any" or "all", as
 * compact JSON; or NULL when a row is incomplete, with @message (may be
 * NULL) set to plain words naming the row: "Condition 2: enter a tag.". */
char         *tc_segment_rows_to_json   (gboolean     any,
                                         GPtrArray   *rows,
                                         char       **message);

/* The rows for a rule, when the builder can show it: a top-level all/any
 * (or one condition) of conditions and groups of conditions, each in the
 * form tc_segment_rows_to_json() writes. Else NULL: show the JSON as it
 * is. Returns: (transfer full) (element-type TcSegmentRow) */
GPtrArray    *tc_segment_rows_from_json (const char  *json,
                                         gboolean    *any);

G_END_DECLS
