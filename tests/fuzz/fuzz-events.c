/* fuzz-events.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for what arrives at POST /events (tc-events-endpoint.c)
 * and for segment rules (tc-segment.c), both JSON from outside: the body is
 * read into events and each is checked as the endpoint does; the same
 * bytes are read as a segment rule. Either works or fails with an error
 * that says something — never a crash, never both a result and an error,
 * and a checked event is always in the form stored (a name, an E.164
 * number, properties that are a JSON object).
 */

#define G_LOG_DOMAIN "fuzz-events"

#include "config.h"

#include <string.h>

#include "tc-events-endpoint.h"
#include "tc-events.h"
#include "tc-segment.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

static void
check_event (const TcEvent *event)
{
  g_autoptr(TcEvent) checked = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) properties = NULL;

  checked = tc_event_check (event, "US", &error);
  g_assert ((checked == NULL) != (error == NULL));
  if (checked == NULL)
    {
      g_assert (error->message[0] != '\0');
      return;
    }

  g_assert (checked->name != NULL && checked->name[0] != '\0');
  g_assert (checked->phone != NULL && checked->phone[0] == '+');
  properties = json_from_string (checked->properties, NULL);
  g_assert (properties != NULL && JSON_NODE_HOLDS_OBJECT (properties));
  g_assert (strlen (checked->properties) <= TC_EVENT_MAX_PROPERTIES_BYTES);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) rule_error = NULL;
  g_autoptr(TcSegment) segment = NULL;
  g_autofree char *text = g_strndup ((const char *) data, size);
  gboolean batch = FALSE;
  guint status = 0;

  events = _tc_events_endpoint_read (body, &batch, &status, &error);
  g_assert ((events == NULL) != (error == NULL));
  if (events == NULL)
    {
      g_assert (status >= 400 && status < 500);
      g_assert (error->message[0] != '\0');
    }
  else
    {
      g_assert (events->len >= 1);
      g_assert (batch || events->len == 1);
      for (guint i = 0; i < events->len; i++)
        check_event (g_ptr_array_index (events, i));
    }

  /* The same text as an audience rule (what the segment builder and the
   * CLI take): a rule, or an error naming the place. */
  if (g_utf8_validate (text, -1, NULL))
    {
      segment = tc_segment_new_from_json (text, &rule_error);
      g_assert ((segment == NULL) != (rule_error == NULL));
      if (segment != NULL)
        g_assert (tc_segment_get_json (segment) != NULL);
      else
        g_assert (rule_error->message[0] != '\0');
    }

  return 0;
}
