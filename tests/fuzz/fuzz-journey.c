/* fuzz-journey.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for journey files (tc_journey_new_from_data(), what
 * `textcast-cli journey import|validate` and the editor's import read):
 * the bytes are either a journey or an error that says something — never
 * a crash, never both. A journey that was read validates without a crash,
 * its problems each name a code and a message, and it writes JSON that
 * reads back to the very same JSON; its deep copy writes the same too.
 */

#define G_LOG_DOMAIN "fuzz-journey"

#include "config.h"

#include <string.h>

#include "tc-journey.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

static gboolean
some_templates_cb (const char *kind,
                   const char *name,
                   gpointer    user_data)
{
  /* Every other name exists, so both answers are exercised. */
  return (strlen (name) + strlen (kind)) % 2 == 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) again_error = NULL;
  g_autoptr(TcJourney) journey = NULL;
  g_autoptr(TcJourney) again = NULL;
  g_autoptr(TcJourney) copy = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;
  g_autofree char *text_copy = NULL;

  journey = tc_journey_new_from_data ((const char *) data, (gssize) size, &error);
  g_assert ((journey == NULL) != (error == NULL));
  if (journey == NULL)
    {
      g_assert (error->domain == TC_JOURNEY_ERROR);
      g_assert (error->message[0] != '\0');
      return 0;
    }

  g_assert (tc_journey_get_n_nodes (journey) <= TC_JOURNEY_MAX_NODES);
  g_assert (tc_journey_get_n_edges (journey) <= TC_JOURNEY_MAX_EDGES);

  problems = tc_journey_validate (journey, some_templates_cb, NULL);
  for (guint i = 0; i < problems->len; i++)
    {
      const TcJourneyProblem *problem = g_ptr_array_index (problems, i);

      g_assert (problem->code != NULL && problem->code[0] != '\0');
      g_assert (problem->message != NULL && problem->message[0] != '\0');
      g_assert (problem->node == NULL || tc_journey_lookup_node (journey, problem->node) != NULL);
    }

  text = tc_journey_to_string (journey);
  again = tc_journey_new_from_data (text, -1, &again_error);
  if (again == NULL)
    g_error ("a journey that was read does not read back: %s", again_error->message);
  text_again = tc_journey_to_string (again);
  g_assert (strcmp (text, text_again) == 0);

  copy = tc_journey_dup (journey);
  text_copy = tc_journey_to_string (copy);
  g_assert (strcmp (text, text_copy) == 0);

  return 0;
}
