/* tc-segment-builder.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tc-types.h"

G_BEGIN_DECLS

#define TC_TYPE_SEGMENT_BUILDER (tc_segment_builder_get_type())

G_DECLARE_FINAL_TYPE (TcSegmentBuilder, tc_segment_builder, TC, SEGMENT_BUILDER, AdwWindow)

/*
 * The segment builder: a modal window that builds a segment's rule from
 * rows of conditions (contact fields, custom attributes, tags, consent,
 * engagement, events; one level of all/any groups), shows how many
 * contacts match ~300 ms after each change (counted on the reader thread,
 * an older count cancelled) and the first 20 of them, and saves it under
 * a name. With @name it opens that saved segment: its rule as rows when
 * the rows can show it, else as read-only JSON (the name can still be
 * changed). On save it emits "saved" with the segment's name and closes.
 */

TcSegmentBuilder *tc_segment_builder_new (GtkWindow    *parent,
                                          TcRepository *repository,
                                          const char   *name) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
