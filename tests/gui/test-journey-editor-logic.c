/* test-journey-editor-logic.c: the journey editor's session, without a display.
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-journey-editor-logic"

#include "config.h"

#include <string.h>

#include "tc-journey-editor-logic.h"
#include "tc-journey-library.h"

static char *
graph_text (TcJourney *journey)
{
  return tc_journey_to_string (journey);
}

static TcJourneyEditorLogic *
new_session (TcJourney **journey_out)
{
  g_autoptr(TcJourney) journey = tc_journey_new ("Test");
  TcJourneyEditorLogic *logic = tc_journey_editor_logic_new (journey);

  *journey_out = journey;
  return logic;
}

static guint
count_problems (TcJourneyEditorLogic *logic,
                const char           *node,
                const char           *code)
{
  GPtrArray *problems = tc_journey_editor_logic_get_problems (logic);
  guint n = 0;

  for (guint i = 0; i < problems->len; i++)
    {
      const TcJourneyProblem *p = g_ptr_array_index (problems, i);

      if (g_strcmp0 (p->node, node) == 0 && g_strcmp0 (p->code, code) == 0)
        n++;
    }
  return n;
}

static void
test_add_connect_undo_redo (void)
{
  TcJourney *journey;
  g_autoptr(TcJourneyEditorLogic) logic = new_session (&journey);
  g_autoptr(GError) error = NULL;
  g_autofree char *empty = graph_text (journey);
  g_autofree char *trigger = NULL;
  g_autofree char *wait = NULL;
  g_autofree char *after_add = NULL;
  g_autofree char *after_connect = NULL;
  g_autofree char *again = NULL;

  g_assert_false (tc_journey_editor_logic_can_undo (logic));
  g_assert_false (tc_journey_editor_logic_get_modified (logic));

  trigger = g_strdup (tc_journey_editor_logic_add_node (logic, TC_JOURNEY_NODE_TRIGGER, 3, 5,
                                                        &error));
  g_assert_no_error (error);
  g_assert_nonnull (trigger);
  /* Snapped to the grid, and selected. */
  g_assert_cmpfloat (tc_journey_lookup_node (journey, trigger)->x, ==, 0);
  g_assert_cmpfloat (tc_journey_lookup_node (journey, trigger)->y, ==, 8);
  g_assert_true (tc_journey_editor_logic_is_selected (logic, trigger));
  g_assert_cmpstr (tc_journey_editor_logic_get_undo_label (logic), ==, "Add Step");

  wait = g_strdup (tc_journey_editor_logic_add_node (logic, TC_JOURNEY_NODE_WAIT, 300, 0, &error));
  g_assert_no_error (error);
  g_assert_false (tc_journey_editor_logic_is_selected (logic, trigger));
  after_add = graph_text (journey);

  g_assert_true (tc_journey_editor_logic_connect (logic, trigger, "next", wait, &error));
  g_assert_no_error (error);
  g_assert_nonnull (tc_journey_lookup_edge (journey, trigger, "next"));
  after_connect = graph_text (journey);
  /* The same edge again is no step. */
  g_assert_true (tc_journey_editor_logic_connect (logic, trigger, "next", wait, &error));
  g_assert_cmpstr (tc_journey_editor_logic_get_undo_label (logic), ==, "Connect");

  /* Refused by the model: nothing changes, no step. */
  g_assert_false (tc_journey_editor_logic_connect (logic, wait, "next", trigger, &error));
  g_assert_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (tc_journey_editor_logic_connect (logic, wait, "nope", wait, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  again = graph_text (journey);
  g_assert_cmpstr (again, ==, after_connect);
  g_clear_pointer (&again, g_free);

  g_assert_true (tc_journey_editor_logic_get_modified (logic));
  g_assert_true (tc_journey_editor_logic_undo (logic));
  again = graph_text (journey);
  g_assert_cmpstr (again, ==, after_add);
  g_clear_pointer (&again, g_free);
  g_assert_cmpstr (tc_journey_editor_logic_get_redo_label (logic), ==, "Connect");

  g_assert_true (tc_journey_editor_logic_undo (logic));
  g_assert_true (tc_journey_editor_logic_undo (logic));
  g_assert_false (tc_journey_editor_logic_undo (logic));
  again = graph_text (journey);
  g_assert_cmpstr (again, ==, empty);
  g_clear_pointer (&again, g_free);
  g_assert_false (tc_journey_editor_logic_get_modified (logic));

  for (guint i = 0; i < 3; i++)
    g_assert_true (tc_journey_editor_logic_redo (logic));
  g_assert_false (tc_journey_editor_logic_redo (logic));
  again = graph_text (journey);
  g_assert_cmpstr (again, ==, after_connect);
  g_clear_pointer (&again, g_free);

  /* A new edit after an undo drops what could be redone. */
  tc_journey_editor_logic_undo (logic);
  g_assert_true (tc_journey_editor_logic_can_redo (logic));
  g_assert_true (tc_journey_editor_logic_disconnect (logic, trigger, "next") == FALSE);
  tc_journey_editor_logic_select (logic, wait, FALSE);
  g_assert_cmpuint (tc_journey_editor_logic_delete_selection (logic), ==, 1);
  g_assert_false (tc_journey_editor_logic_can_redo (logic));

  /* Saved state. */
  tc_journey_editor_logic_mark_saved (logic);
  g_assert_false (tc_journey_editor_logic_get_modified (logic));
  tc_journey_editor_logic_undo (logic);
  g_assert_true (tc_journey_editor_logic_get_modified (logic));
  tc_journey_editor_logic_redo (logic);
  g_assert_false (tc_journey_editor_logic_get_modified (logic));
}

static void
test_move_coalesces (void)
{
  TcJourney *journey;
  g_autoptr(TcJourneyEditorLogic) logic = new_session (&journey);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *now = NULL;
  const TcJourneyNode *na, *nb;

  a = g_strdup (tc_journey_editor_logic_add_node (logic, TC_JOURNEY_NODE_WAIT, 0, 0, NULL));
  b = g_strdup (tc_journey_editor_logic_add_node (logic, TC_JOURNEY_NODE_EXIT, 400, 0, NULL));
  tc_journey_editor_logic_select (logic, a, FALSE);
  tc_journey_editor_logic_select (logic, b, TRUE);
  g_assert_cmpuint (tc_journey_editor_logic_get_n_selected (logic), ==, 2);
  before = graph_text (journey);

  /* A drag of many motion events is one step, relative to where it began. */
  tc_journey_editor_logic_move_begin (logic);
  for (int i = 1; i <= 20; i++)
    tc_journey_editor_logic_move_update (logic, i * 5.0, i * 2.0);
  tc_journey_editor_logic_move_end (logic);
  na = tc_journey_lookup_node (journey, a);
  nb = tc_journey_lookup_node (journey, b);
  g_assert_cmpfloat (na->x, ==, 104);   /* 100 on the 8-pixel grid */
  g_assert_cmpfloat (na->y, ==, 40);
  g_assert_cmpfloat (nb->x, ==, 504);
  g_assert_cmpstr (tc_journey_editor_logic_get_undo_label (logic), ==, "Move");
  after = graph_text (journey);

  tc_journey_editor_logic_undo (logic);
  now = graph_text (journey);
  g_assert_cmpstr (now, ==, before);
  g_clear_pointer (&now, g_free);
  /* The one before is the second add: the whole drag went at once. */
  g_assert_cmpstr (tc_journey_editor_logic_get_undo_label (logic), ==, "Add Step");
  tc_journey_editor_logic_redo (logic);
  now = graph_text (journey);
  g_assert_cmpstr (now, ==, after);
  g_clear_pointer (&now, g_free);

  /* A click without moving is no step. */
  tc_journey_editor_logic_move_begin (logic);
  tc_journey_editor_logic_move_update (logic, 1, 1);
  tc_journey_editor_logic_move_end (logic);
  g_assert_false (tc_journey_editor_logic_can_redo (logic));
  tc_journey_editor_logic_undo (logic);
  now = graph_text (journey);
  g_assert_cmpstr (now, ==, before);
  g_clear_pointer (&now, g_free);
  tc_journey_editor_logic_redo (logic);

  /* Arrow keys in a row are one step; another selection starts another. */
  tc_journey_editor_logic_select (logic, a, FALSE);
  for (int i = 0; i < 5; i++)
    tc_journey_editor_logic_nudge (logic, 8, 0);
  g_assert_cmpfloat (tc_journey_lookup_node (journey, a)->x, ==, 144);
  tc_journey_editor_logic_select (logic, b, FALSE);
  tc_journey_editor_logic_nudge (logic, 0, 8);
  tc_journey_editor_logic_undo (logic);
  g_assert_cmpfloat (tc_journey_lookup_node (journey, b)->y, ==, 40);
  g_assert_cmpfloat (tc_journey_lookup_node (journey, a)->x, ==, 144);
  tc_journey_editor_logic_undo (logic);
  g_assert_cmpfloat (tc_journey_lookup_node (journey, a)->x, ==, 104);
  now = graph_text (journey);
  g_assert_cmpstr (now, ==, after);
}

static void
test_delete_restores_edges (void)
{
  g_autoptr(TcJourney) journey = tc_journey_library_build ("cart_abandonment", NULL);
  g_autoptr(TcJourneyEditorLogic) logic = tc_journey_editor_logic_new (journey);
  g_autofree char *before = graph_text (journey);
  g_autofree char *now = NULL;
  guint n_edges = tc_journey_get_n_edges (journey);

  tc_journey_editor_logic_select (logic, "sms-reminder", FALSE);
  tc_journey_editor_logic_select (logic, "purchased", TRUE);
  g_assert_cmpuint (tc_journey_editor_logic_delete_selection (logic), ==, 2);
  g_assert_null (tc_journey_lookup_node (journey, "sms-reminder"));
  g_assert_null (tc_journey_lookup_edge (journey, "wait-1h", "next"));
  g_assert_null (tc_journey_lookup_edge (journey, "wait-23h", "next"));
  g_assert_cmpuint (tc_journey_get_n_edges (journey), ==, n_edges - 6);
  g_assert_cmpuint (tc_journey_editor_logic_get_n_selected (logic), ==, 0);
  g_assert_cmpstr (tc_journey_editor_logic_get_undo_label (logic), ==, "Delete 2 Steps");
  /* Nothing selected: nothing to delete, no step. */
  g_assert_cmpuint (tc_journey_editor_logic_delete_selection (logic), ==, 0);

  tc_journey_editor_logic_undo (logic);
  now = graph_text (journey);
  /* Node order, edges and "ends" marks all come back. */
  g_assert_cmpstr (now, ==, before);
}

static void
test_copy_paste (void)
{
  g_autoptr(TcJourney) journey = tc_journey_library_build ("cart_abandonment", NULL);
  g_autoptr(TcJourneyEditorLogic) logic = tc_journey_editor_logic_new (journey);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *before = NULL;
  g_autofree char *now = NULL;
  g_auto(GStrv) pasted = NULL;
  const TcJourneyNode *orig, *copy;
  guint n_nodes = tc_journey_get_n_nodes (journey);
  guint n_edges = tc_journey_get_n_edges (journey);

  g_assert_null (tc_journey_editor_logic_copy (logic));

  tc_journey_editor_logic_select (logic, "purchased", FALSE);
  tc_journey_editor_logic_select (logic, "whatsapp-followup", TRUE);
  tc_journey_editor_logic_select (logic, "exit", TRUE);
  text = tc_journey_editor_logic_copy (logic);
  g_assert_nonnull (text);
  before = graph_text (journey);

  g_assert_true (tc_journey_editor_logic_paste (logic, text, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tc_journey_get_n_nodes (journey), ==, n_nodes + 3);
  /* The edges between them (no → whatsapp is not: "no" leads out of the
   * copy only through whatsapp-followup, which was copied; yes → exit-
   * purchased was not copied), with new ids. */
  g_assert_cmpuint (tc_journey_get_n_edges (journey), ==, n_edges + 2);

  pasted = tc_journey_editor_logic_dup_selection (logic);
  g_assert_cmpuint (g_strv_length (pasted), ==, 3);
  for (guint i = 0; pasted[i] != NULL; i++)
    {
      g_assert_cmpstr (pasted[i], !=, "purchased");
      g_assert_cmpstr (pasted[i], !=, "whatsapp-followup");
      g_assert_cmpstr (pasted[i], !=, "exit");
    }
  orig = tc_journey_lookup_node (journey, "whatsapp-followup");
  copy = tc_journey_lookup_node (journey, pasted[1]);
  g_assert_cmpint (copy->kind, ==, TC_JOURNEY_NODE_SEND_WHATSAPP);
  g_assert_cmpfloat (copy->x, ==, orig->x + TC_JOURNEY_PASTE_OFFSET);
  g_assert_cmpfloat (copy->y, ==, orig->y + TC_JOURNEY_PASTE_OFFSET);
  g_assert_true (json_object_equal (copy->config, orig->config));
  g_assert_true (tc_journey_node_port_ends (copy, "skipped"));
  g_assert_cmpstr (tc_journey_lookup_edge (journey, pasted[0], "no")->to, ==, pasted[1]);
  g_assert_cmpstr (tc_journey_lookup_edge (journey, pasted[1], "sent")->to, ==, pasted[2]);
  g_assert_null (tc_journey_lookup_edge (journey, pasted[0], "yes"));

  /* Pasting again lands further along. */
  g_assert_true (tc_journey_editor_logic_paste (logic, text, &error));
  g_assert_no_error (error);
  g_clear_pointer (&pasted, g_strfreev);
  pasted = tc_journey_editor_logic_dup_selection (logic);
  copy = tc_journey_lookup_node (journey, pasted[1]);
  g_assert_cmpfloat (copy->x, ==, orig->x + 2 * TC_JOURNEY_PASTE_OFFSET);

  tc_journey_editor_logic_undo (logic);
  tc_journey_editor_logic_undo (logic);
  now = graph_text (journey);
  g_assert_cmpstr (now, ==, before);

  /* Bad text: an error, nothing changes. */
  g_assert_false (tc_journey_editor_logic_paste (logic, "{\"nodes\": 3", &error));
  g_assert_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (tc_journey_editor_logic_paste (logic, "{\"name\":\"x\",\"nodes\":[]}", &error));
  g_assert_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_pointer (&now, g_free);
  now = graph_text (journey);
  g_assert_cmpstr (now, ==, before);
  g_assert_true (tc_journey_editor_logic_can_redo (logic));
}

static void
test_json_round_trip (void)
{
  g_autoptr(TcJourney) journey = tc_journey_library_build ("cart_abandonment", NULL);
  g_autoptr(TcJourneyEditorLogic) logic = tc_journey_editor_logic_new (journey);
  g_autoptr(GError) error = NULL;
  g_autoptr(TcJourney) read = NULL;
  g_autoptr(JsonObject) config = json_object_new ();
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  g_autofree char *id = NULL;

  /* Undo rebuilds nodes: an id is kept as a copy. */
  id = g_strdup (tc_journey_editor_logic_add_node (logic, TC_JOURNEY_NODE_UPDATE_CONTACT, 600, 800,
                                                   &error));
  g_assert_no_error (error);
  json_object_set_string_member (config, "action", "add_tag");
  json_object_set_string_member (config, "tag", "recovered");
  g_assert_true (tc_journey_editor_logic_set_config (logic, id, config, &error));
  g_assert_no_error (error);
  g_assert_true (tc_journey_editor_logic_set_label (logic, id, "Tag them", &error));
  g_assert_true (tc_journey_editor_logic_set_label (logic, id, "Tag them as recovered", &error));
  g_assert_true (tc_journey_editor_logic_connect (logic, "whatsapp-followup", "sent", id, &error));
  g_assert_true (tc_journey_editor_logic_connect (logic, id, "next", "exit", &error));
  g_assert_true (tc_journey_editor_logic_set_port_ends (logic, "purchased", "yes", TRUE, &error));
  g_assert_no_error (error);
  tc_journey_editor_logic_tidy (logic);

  text = tc_journey_to_string (journey);
  read = tc_journey_new_from_data (text, -1, &error);
  g_assert_no_error (error);
  text2 = tc_journey_to_string (read);
  g_assert_cmpstr (text, ==, text2);
  g_assert_cmpstr (tc_journey_lookup_node (read, id)->label, ==, "Tag them as recovered");
  g_assert_cmpstr (tc_journey_lookup_edge (read, id, "next")->to, ==, "exit");
  g_assert_true (tc_journey_node_port_ends (tc_journey_lookup_node (read, "purchased"), "yes"));

  /* Typing a label is one step: undo goes back to the kind's title. */
  tc_journey_editor_logic_undo (logic);   /* tidy */
  tc_journey_editor_logic_undo (logic);   /* ends */
  tc_journey_editor_logic_undo (logic);   /* connect */
  tc_journey_editor_logic_undo (logic);   /* connect */
  g_assert_cmpstr (tc_journey_editor_logic_get_undo_label (logic), ==, "Rename Step");
  tc_journey_editor_logic_undo (logic);
  g_assert_cmpstr (tc_journey_lookup_node (journey, id)->label, ==, "");
  g_assert_cmpstr (tc_journey_editor_logic_get_undo_label (logic), ==, "Change Step");
}

static void
assert_no_overlaps (TcJourney *journey)
{
  guint n = tc_journey_get_n_nodes (journey);

  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      {
        TcJourneyRect a, b;

        tc_journey_node_get_rect (tc_journey_get_node (journey, i), &a);
        tc_journey_node_get_rect (tc_journey_get_node (journey, j), &b);
        if (tc_journey_rect_intersects (&a, &b))
          g_error ("%s and %s overlap after tidy-up",
                   tc_journey_get_node (journey, i)->id, tc_journey_get_node (journey, j)->id);
      }
}

static void
test_tidy (void)
{
  const char * const names[] = {
    "cart_abandonment", "back_in_stock", "welcome", "post_purchase_feedback", "birthday_offer",
  };

  for (guint k = 0; k < G_N_ELEMENTS (names); k++)
    {
      g_autoptr(TcJourney) journey = tc_journey_library_build (names[k], NULL);
      g_autoptr(TcJourneyEditorLogic) logic = tc_journey_editor_logic_new (journey);
      g_autoptr(GArray) ready_made = g_array_new (FALSE, FALSE, sizeof (double));
      const TcJourneyNode *trigger;

      /* The ready-made journeys come laid out as tidy-up lays them out. */
      g_assert_false (tc_journey_editor_logic_needs_tidy (logic));
      for (guint i = 0; i < tc_journey_get_n_nodes (journey); i++)
        {
          g_array_append_val (ready_made, tc_journey_get_node (journey, i)->x);
          g_array_append_val (ready_made, tc_journey_get_node (journey, i)->y);
        }

      /* Everything piled on one spot first. */
      for (guint i = 0; i < tc_journey_get_n_nodes (journey); i++)
        tc_journey_move_node (journey, tc_journey_get_node (journey, i)->id, 0, 0, NULL);

      g_assert_true (tc_journey_editor_logic_needs_tidy (logic));
      tc_journey_editor_logic_tidy (logic);
      assert_no_overlaps (journey);
      g_assert_false (tc_journey_editor_logic_needs_tidy (logic));
      for (guint i = 0; i < tc_journey_get_n_nodes (journey); i++)
        {
          g_assert_cmpfloat (tc_journey_get_node (journey, i)->x, ==,
                             g_array_index (ready_made, double, 2 * i));
          g_assert_cmpfloat (tc_journey_get_node (journey, i)->y, ==,
                             g_array_index (ready_made, double, 2 * i + 1));
        }

      /* Left to right: every edge (there is no loop here) goes right. */
      trigger = tc_journey_get_trigger (journey);
      g_assert_cmpfloat (trigger->x, ==, 0);
      for (guint e = 0; e < tc_journey_get_n_edges (journey); e++)
        {
          const TcJourneyEdge *edge = tc_journey_get_edge (journey, e);

          g_assert_cmpfloat (tc_journey_lookup_node (journey, edge->from)->x, <,
                             tc_journey_lookup_node (journey, edge->to)->x);
        }

      /* Tidy twice changes nothing the second time: no step. */
      g_assert_cmpstr (tc_journey_editor_logic_get_undo_label (logic), ==, "Tidy Up");
      tc_journey_editor_logic_undo (logic);
      g_assert_false (tc_journey_editor_logic_can_undo (logic));
      tc_journey_editor_logic_redo (logic);
      tc_journey_editor_logic_tidy (logic);
      g_assert_false (tc_journey_editor_logic_can_redo (logic));
      tc_journey_editor_logic_undo (logic);
      g_assert_false (tc_journey_editor_logic_can_undo (logic));
    }
}

static void
test_tidy_longest_path_and_loops (void)
{
  TcJourney *journey;
  g_autoptr(TcJourneyEditorLogic) logic = new_session (&journey);
  const char *ids[6];

  /* trigger → wait → branch; branch yes → exit; branch no → wait2 → exit,
   * wait2 loops back to wait (a loop through a wait is allowed), and
   * an unconnected node. */
  ids[0] = g_strdup (tc_journey_add_node (journey, "t", TC_JOURNEY_NODE_TRIGGER, "", 0, 0, NULL,
                                          NULL));
  ids[1] = g_strdup (tc_journey_add_node (journey, "w", TC_JOURNEY_NODE_WAIT, "", 0, 0, NULL,
                                          NULL));
  ids[2] = g_strdup (tc_journey_add_node (journey, "b", TC_JOURNEY_NODE_BRANCH, "", 0, 0, NULL,
                                          NULL));
  ids[3] = g_strdup (tc_journey_add_node (journey, "w2", TC_JOURNEY_NODE_WAIT, "", 0, 0, NULL,
                                          NULL));
  ids[4] = g_strdup (tc_journey_add_node (journey, "x", TC_JOURNEY_NODE_EXIT, "", 0, 0, NULL,
                                          NULL));
  ids[5] = g_strdup (tc_journey_add_node (journey, "lone", TC_JOURNEY_NODE_EXIT, "", 0, 0, NULL,
                                          NULL));
  g_assert_true (tc_journey_connect (journey, "t", "next", "w", NULL));
  g_assert_true (tc_journey_connect (journey, "w", "next", "b", NULL));
  g_assert_true (tc_journey_connect (journey, "b", "yes", "x", NULL));
  g_assert_true (tc_journey_connect (journey, "b", "no", "w2", NULL));
  g_assert_true (tc_journey_connect (journey, "w2", "next", "w", NULL));

  tc_journey_editor_logic_tidy (logic);
  assert_no_overlaps (journey);

  {
    double step = TC_JOURNEY_CARD_WIDTH + TC_JOURNEY_LAYOUT_H_GAP;

    g_assert_cmpfloat (tc_journey_lookup_node (journey, "t")->x, ==, 0);
    g_assert_cmpfloat (tc_journey_lookup_node (journey, "w")->x, ==, step);
    g_assert_cmpfloat (tc_journey_lookup_node (journey, "b")->x, ==, 2 * step);
    g_assert_cmpfloat (tc_journey_lookup_node (journey, "x")->x, ==, 3 * step);
    g_assert_cmpfloat (tc_journey_lookup_node (journey, "w2")->x, ==, 3 * step);
    g_assert_cmpfloat (tc_journey_lookup_node (journey, "lone")->x, ==, 0);
    /* "yes" above "no". */
    g_assert_cmpfloat (tc_journey_lookup_node (journey, "x")->y, <,
                       tc_journey_lookup_node (journey, "w2")->y);
  }

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_free ((char *) ids[i]);
}

static void
count_cb (guint *n)
{
  (*n)++;
}

static void
test_selection_and_hits (void)
{
  TcJourney *journey;
  g_autoptr(TcJourneyEditorLogic) logic = new_session (&journey);
  TcJourneyRect band = { 200, -20, 450, 60 };
  const TcJourneyNode *hit;
  const char *port = NULL;
  double px, py;
  guint n_signals = 0;

  tc_journey_add_node (journey, "t", TC_JOURNEY_NODE_TRIGGER, "", 0, 0, NULL, NULL);
  tc_journey_add_node (journey, "b", TC_JOURNEY_NODE_BRANCH, "", 300, 0, NULL, NULL);
  tc_journey_add_node (journey, "s", TC_JOURNEY_NODE_SPLIT, "", 600, 0, NULL, NULL);
  tc_journey_add_node (journey, "far", TC_JOURNEY_NODE_EXIT, "", 0, 1000, NULL, NULL);
  g_signal_connect_swapped (logic, "selection-changed", G_CALLBACK (count_cb), &n_signals);

  /* The rubber band touches b and s. */
  tc_journey_editor_logic_select_rect (logic, &band, FALSE);
  g_assert_cmpuint (tc_journey_editor_logic_get_n_selected (logic), ==, 2);
  g_assert_true (tc_journey_editor_logic_is_selected (logic, "b"));
  g_assert_true (tc_journey_editor_logic_is_selected (logic, "s"));
  g_assert_cmpuint (n_signals, ==, 1);
  g_assert_null (tc_journey_editor_logic_get_selected_node (logic));
  tc_journey_editor_logic_toggle (logic, "s");
  g_assert_cmpstr (tc_journey_editor_logic_get_selected_node (logic)->id, ==, "b");
  tc_journey_editor_logic_select_all (logic);
  g_assert_cmpuint (tc_journey_editor_logic_get_n_selected (logic), ==, 4);
  tc_journey_editor_logic_clear_selection (logic);
  g_assert_cmpuint (tc_journey_editor_logic_get_n_selected (logic), ==, 0);
  g_assert_cmpuint (n_signals, ==, 4);
  /* Clearing nothing says nothing. */
  tc_journey_editor_logic_clear_selection (logic);
  g_assert_cmpuint (n_signals, ==, 4);

  /* Cards, ports. */
  hit = tc_journey_editor_logic_node_at (logic, 310, 10);
  g_assert_cmpstr (hit->id, ==, "b");
  g_assert_null (tc_journey_editor_logic_node_at (logic, 250, 10));
  g_assert_true (tc_journey_node_get_port_position (tc_journey_lookup_node (journey, "b"), "no",
                                                    &px, &py));
  g_assert_cmpfloat (px, ==, 300 + TC_JOURNEY_CARD_WIDTH);
  g_assert_cmpfloat (py, ==, TC_JOURNEY_CARD_HEADER + 1.5 * TC_JOURNEY_CARD_PORT_HEIGHT);
  g_assert_false (tc_journey_node_get_port_position (tc_journey_lookup_node (journey, "b"), "next",
                                                     NULL, NULL));
  hit = tc_journey_editor_logic_port_at (logic, px + 3, py - 2, 8, &port);
  g_assert_cmpstr (hit->id, ==, "b");
  g_assert_cmpstr (port, ==, "no");
  g_assert_null (tc_journey_editor_logic_port_at (logic, px + 30, py, 8, &port));
  hit = tc_journey_editor_logic_input_at (logic, 600 - 4, TC_JOURNEY_CARD_HEADER / 2, 10);
  g_assert_cmpstr (hit->id, ==, "s");
  hit = tc_journey_editor_logic_input_at (logic, 620, 60, 10);
  g_assert_cmpstr (hit->id, ==, "s");

  /* Port titles. */
  {
    g_autofree char *yes = tc_journey_port_dup_title (tc_journey_lookup_node (journey, "b"), "yes");
    g_autofree char *a = tc_journey_port_dup_title (tc_journey_lookup_node (journey, "s"), "A");

    g_assert_cmpstr (yes, ==, "Yes");
    g_assert_cmpstr (a, ==, "A · 50 %");
  }
}

static void
test_fit_and_zoom (void)
{
  const struct {
    TcJourneyRect bounds;
    double        w, h;
    double        zoom;
  } cases[] = {
    { { 0, 0, 1000, 500 }, 540, 540, 0.5 },         /* width decides */
    { { -100, -100, 100, 1000 }, 800, 540, 0.5 },   /* height decides */
    { { 0, 0, 10, 10 }, 800, 600, 1.0 },            /* not above the maximum */
    { { 0, 0, 100000, 100 }, 800, 600, 0.25 },      /* nor below the minimum */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double zoom, pan_x, pan_y, cx, cy;

      tc_journey_fit_transform (&cases[i].bounds, cases[i].w, cases[i].h, 20, 0.25, 1.0,
                                &zoom, &pan_x, &pan_y);
      g_assert_cmpfloat_with_epsilon (zoom, cases[i].zoom, 1e-9);
      /* The middle of the bounds lands in the middle of the view. */
      cx = (cases[i].bounds.x + cases[i].bounds.width / 2) * zoom + pan_x;
      cy = (cases[i].bounds.y + cases[i].bounds.height / 2) * zoom + pan_y;
      g_assert_cmpfloat_with_epsilon (cx, cases[i].w / 2, 1e-9);
      g_assert_cmpfloat_with_epsilon (cy, cases[i].h / 2, 1e-9);
    }

  {
    double zoom = 1, pan_x = 10, pan_y = 20;
    double doc_x = (300 - pan_x) / zoom, doc_y = (200 - pan_y) / zoom;

    tc_journey_zoom_around (2, 300, 200, 0.25, 4, &zoom, &pan_x, &pan_y);
    g_assert_cmpfloat (zoom, ==, 2);
    g_assert_cmpfloat_with_epsilon (doc_x * zoom + pan_x, 300, 1e-9);
    g_assert_cmpfloat_with_epsilon (doc_y * zoom + pan_y, 200, 1e-9);
    tc_journey_zoom_around (100, 0, 0, 0.25, 4, &zoom, &pan_x, &pan_y);
    g_assert_cmpfloat (zoom, ==, 4);
  }
}

static gboolean
lookup_none (const char *kind,
             const char *name,
             gpointer    user_data)
{
  guint *calls = user_data;

  (*calls)++;
  return FALSE;
}

static void
test_validation_marks (void)
{
  g_autoptr(TcJourney) journey = tc_journey_library_build ("cart_abandonment", NULL);
  g_autoptr(TcJourneyEditorLogic) logic = tc_journey_editor_logic_new (journey);
  g_autoptr(GError) error = NULL;
  guint calls = 0;
  guint n_changed = 0;
  g_autofree char *id = NULL;

  g_signal_connect_swapped (logic, "problems-changed", G_CALLBACK (count_cb), &n_changed);

  /* The ready-made journey validates. */
  g_assert_cmpuint (tc_journey_editor_logic_get_problems (logic)->len, ==, 0);

  /* A new send: no template, its outputs lead nowhere, nothing reaches it. */
  id = g_strdup (tc_journey_editor_logic_add_node (logic, TC_JOURNEY_NODE_SEND_SMS, 0, 900,
                                                   &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_changed, >, 0);
  g_assert_cmpuint (count_problems (logic, id, "no_template"), ==, 1);
  g_assert_cmpuint (count_problems (logic, id, "unreachable"), ==, 1);
  g_assert_cmpuint (count_problems (logic, id, "output_unconnected"), >=, 1);
  g_assert_cmpuint (tc_journey_editor_logic_count_node_problems (logic, id), >=, 3);
  g_assert_cmpuint (tc_journey_editor_logic_count_node_problems (logic, "trigger"), ==, 0);

  /* Removing the edge to the branch makes it unreachable. */
  g_assert_true (tc_journey_editor_logic_disconnect (logic, "wait-23h", "next"));
  g_assert_cmpuint (count_problems (logic, "purchased", "unreachable"), ==, 1);
  g_assert_cmpuint (count_problems (logic, "wait-23h", "output_unconnected"), ==, 1);
  tc_journey_editor_logic_undo (logic);
  g_assert_cmpuint (count_problems (logic, "purchased", "unreachable"), ==, 0);

  /* With a lookup, the missing templates show. */
  tc_journey_editor_logic_set_template_lookup (logic, lookup_none, &calls, NULL);
  g_assert_cmpuint (count_problems (logic, "sms-reminder", "template_missing"), ==, 1);
  g_assert_cmpuint (count_problems (logic, "whatsapp-followup", "template_missing"), ==, 1);
  g_assert_cmpuint (calls, >=, 2);

  /* A second trigger. */
  tc_journey_editor_logic_add_node (logic, TC_JOURNEY_NODE_TRIGGER, 0, 1200, NULL);
  {
    GPtrArray *problems = tc_journey_editor_logic_get_problems (logic);
    gboolean several = FALSE;

    for (guint i = 0; i < problems->len; i++)
      if (g_strcmp0 (((TcJourneyProblem *) g_ptr_array_index (problems, i))->code,
                     "several_triggers") == 0)
        several = TRUE;
    g_assert_true (several);
  }
}

/* Live statistics become badges per node: only the numbers that are not
 * zero, "sent" only on sends, and "stats-changed" only when a number
 * moved. */
typedef struct
{
  const char *node;
  guint64     waiting, passed, sent, converted;
} StatsRow;

static TcJourneyStats *
make_stats (const StatsRow *rows,
            guint           n_rows)
{
  TcJourneyStats *stats = g_new0 (TcJourneyStats, 1);

  stats->journey_id = 1;
  stats->nodes = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n_rows; i++)
    {
      TcJourneyNodeStats *node = g_new0 (TcJourneyNodeStats, 1);

      /* Static strings: the array frees only the struct. */
      node->node = (char *) rows[i].node;
      node->kind = (char *) "";
      node->label = (char *) "";
      node->waiting = rows[i].waiting;
      node->passed = rows[i].passed;
      node->sent = rows[i].sent;
      node->converted = rows[i].converted;
      g_ptr_array_add (stats->nodes, node);
    }
  return stats;
}

static char *
badges_text (TcJourneyEditorLogic *logic,
             const char           *id)
{
  g_autoptr(GPtrArray) badges = tc_journey_editor_logic_dup_badges (logic, id);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < badges->len; i++)
    {
      const TcJourneyBadge *badge = g_ptr_array_index (badges, i);

      g_string_append_printf (text, "%s%d:%" G_GUINT64_FORMAT ":%s", i > 0 ? "|" : "",
                              (int) badge->kind, badge->count, badge->text);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_stats_badges (void)
{
  g_autoptr(TcJourney) journey = tc_journey_library_build ("cart_abandonment", NULL);
  g_autoptr(TcJourneyEditorLogic) logic = tc_journey_editor_logic_new (journey);
  static const StatsRow first[] = {
    { "trigger", 0, 5, 0, 0 },
    { "wait-1h", 3, 2, 0, 0 },
    { "sms-reminder", 0, 2, 2, 1 },
    /* A branch never sends: a stray "sent" is not shown on it. */
    { "purchased", 0, 0, 4, 0 },
    /* A node only an older version had. */
    { "gone", 1, 0, 0, 0 },
  };
  static const struct { const char *node; const char *badges; const char *sentence; } expected[] = {
    { "trigger", "1:5:5 passed", "5 passed." },
    { "wait-1h", "0:3:3 waiting|1:2:2 passed", "3 waiting, 2 passed." },
    { "sms-reminder", "1:2:2 passed|2:2:2 sent|3:1:1 converted", "2 passed, 2 sent, 1 converted." },
    { "purchased", "", NULL },
    { "wait-23h", "", NULL },
    { "gone", "0:1:1 waiting", "1 waiting." },
  };
  g_autoptr(TcJourneyStats) stats = make_stats (first, G_N_ELEMENTS (first));
  g_autoptr(TcJourneyStats) same = make_stats (first, G_N_ELEMENTS (first));
  StatsRow moved[G_N_ELEMENTS (first)];
  g_autoptr(TcJourneyStats) later = NULL;
  g_autofree char *none = NULL;
  guint n_changed = 0;

  g_signal_connect_swapped (logic, "stats-changed", G_CALLBACK (count_cb), &n_changed);

  /* Before any statistics: no badges, no sentence. */
  g_assert_false (tc_journey_editor_logic_has_stats (logic));
  none = badges_text (logic, "wait-1h");
  g_assert_cmpstr (none, ==, "");
  g_assert_null (tc_journey_editor_logic_dup_stats_text (logic, "wait-1h"));

  g_assert_true (tc_journey_editor_logic_set_stats (logic, stats));
  g_assert_true (tc_journey_editor_logic_has_stats (logic));
  g_assert_cmpuint (n_changed, ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *text = badges_text (logic, expected[i].node);
      g_autofree char *sentence = tc_journey_editor_logic_dup_stats_text (logic, expected[i].node);

      g_assert_cmpstr (text, ==, expected[i].badges);
      g_assert_cmpstr (sentence, ==, expected[i].sentence);
    }

  /* The same numbers again (the next refresh): nothing to redraw. */
  g_assert_false (tc_journey_editor_logic_set_stats (logic, same));
  g_assert_cmpuint (n_changed, ==, 1);

  /* One number moved: a change. */
  memcpy (moved, first, sizeof first);
  moved[1].waiting = 2;
  moved[2].passed = 3;
  later = make_stats (moved, G_N_ELEMENTS (moved));
  g_assert_true (tc_journey_editor_logic_set_stats (logic, later));
  g_assert_cmpuint (n_changed, ==, 2);
  {
    g_autofree char *text = badges_text (logic, "wait-1h");

    g_assert_cmpstr (text, ==, "0:2:2 waiting|1:2:2 passed");
  }

  /* The statistics were copied: freeing them changes nothing. */
  g_clear_pointer (&later, tc_journey_stats_free);
  {
    g_autofree char *sentence = tc_journey_editor_logic_dup_stats_text (logic, "sms-reminder");

    g_assert_cmpstr (sentence, ==, "3 passed, 2 sent, 1 converted.");
  }

  /* Undo / redo and edits keep them by node id. */
  g_assert_true (tc_journey_editor_logic_disconnect (logic, "wait-23h", "next"));
  tc_journey_editor_logic_undo (logic);
  {
    g_autofree char *text = badges_text (logic, "wait-1h");

    g_assert_cmpstr (text, ==, "0:2:2 waiting|1:2:2 passed");
  }

  /* Cleared. */
  g_assert_true (tc_journey_editor_logic_set_stats (logic, NULL));
  g_assert_cmpuint (n_changed, ==, 3);
  g_assert_false (tc_journey_editor_logic_has_stats (logic));
  g_assert_null (tc_journey_editor_logic_dup_stats_text (logic, "wait-1h"));
}

/* The inspector's controls for branch conditions and wait windows: what
 * they write must be what the model accepts, and read back the same. */
static char *
object_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

static void
test_condition_kinds (void)
{
  static const struct { const char *json; int kind; } table[] = {
    { "{\"event\":\"order_placed\"}", TC_JOURNEY_CONDITION_EVENT },
    { "{\"tag\":\"vip\",\"has\":false}", TC_JOURNEY_CONDITION_TAG },
    { "{\"last_message\":\"replied\"}", TC_JOURNEY_CONDITION_LAST_MESSAGE },
    { "{\"field\":\"city\",\"op\":\"empty\"}", TC_JOURNEY_CONDITION_FIELD },
    { "{\"consent\":\"sms\",\"purpose\":\"transactional\",\"status\":\"opted_out\"}",
      TC_JOURNEY_CONDITION_CONSENT },
    { "{}", -1 },
  };

  g_assert_cmpint (tc_journey_condition_get_kind (NULL), ==, -1);
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (table[i].json, NULL);

      g_assert_cmpint (tc_journey_condition_get_kind (json_node_get_object (node)), ==,
                       table[i].kind);
    }

  /* Each kind's starting condition is a valid branch, of that kind. */
  for (guint k = 0; k < TC_JOURNEY_N_CONDITION_KINDS; k++)
    {
      g_autoptr(JsonObject) condition = tc_journey_condition_new_default (k);
      g_autoptr(JsonObject) config = json_object_new ();
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (tc_journey_condition_get_kind (condition), ==, (int) k);
      json_object_set_object_member (config, "condition", json_object_ref (condition));
      g_assert_true (tc_journey_node_check_config (TC_JOURNEY_NODE_BRANCH, "b", config, &error));
      g_assert_no_error (error);
    }

  /* What the card says. */
  {
    static const struct { const char *config; const char *summary; } cards[] = {
      { "{\"condition\":{\"consent\":\"sms\",\"purpose\":\"promotional\",\"status\":\"opted_in\"}}",
        "SMS consent?" },
      { "{\"condition\":{\"consent\":\"whatsapp\",\"purpose\":\"transactional\",\"status\":\"none\"}}",
        "WhatsApp consent?" },
      { "{\"condition\":{\"last_message\":\"read\"}}", "last message read?" },
    };
    g_autoptr(TcJourney) journey = tc_journey_new ("Cards");

    for (guint i = 0; i < G_N_ELEMENTS (cards); i++)
      {
        g_autoptr(JsonNode) config = json_from_string (cards[i].config, NULL);
        g_autofree char *id = g_strdup_printf ("b%u", i);
        g_autofree char *summary = NULL;

        g_assert_nonnull (tc_journey_add_node (journey, id, TC_JOURNEY_NODE_BRANCH, NULL, 0, 0,
                                               json_node_get_object (config), NULL));
        summary = tc_journey_node_dup_summary (tc_journey_lookup_node (journey, id));
        g_assert_cmpstr (summary, ==, cards[i].summary);
      }
  }

  /* Consent: channel, purpose and status, all three. */
  {
    g_autoptr(JsonObject) condition = tc_journey_condition_new_default (TC_JOURNEY_CONDITION_CONSENT);
    g_autofree char *text = object_text (condition);

    g_assert_cmpstr (text, ==,
                     "{\"consent\":\"whatsapp\",\"purpose\":\"promotional\",\"status\":\"opted_in\"}");
  }
}

static void
test_wait_windows (void)
{
  static const struct
  {
    TcJourneyWindow window;
    const char     *json;
    guint           read_days;  /* what reads back */
  } table[] = {
    { { 9 * 60, 17 * 60, TC_JOURNEY_WINDOW_EVERY_DAY },
      "{\"until\":{\"from\":\"09:00\",\"to\":\"17:00\"}}", TC_JOURNEY_WINDOW_EVERY_DAY },
    { { 10 * 60, -1, 1u << 5 },
      "{\"until\":{\"from\":\"10:00\",\"days\":[\"sat\"]}}", 1u << 5 },
    { { 0, 23 * 60 + 59, 1u << 0 | 1u << 2 | 1u << 4 },
      "{\"until\":{\"from\":\"00:00\",\"to\":\"23:59\",\"days\":[\"mon\",\"wed\",\"fri\"]}}",
      1u << 0 | 1u << 2 | 1u << 4 },
    /* Overnight; all seven days is every day. */
    { { 23 * 60, 6 * 60 + 30, 0x7f },
      "{\"until\":{\"from\":\"23:00\",\"to\":\"06:30\"}}", TC_JOURNEY_WINDOW_EVERY_DAY },
    { { 12 * 60 + 5, -1, 1u << 6 | 1u << 5 },
      "{\"until\":{\"from\":\"12:05\",\"days\":[\"sat\",\"sun\"]}}", 1u << 5 | 1u << 6 },
  };
  TcJourney *journey;
  g_autoptr(TcJourneyEditorLogic) logic = new_session (&journey);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(JsonObject) config = tc_journey_window_to_config (&table[i].window);
      g_autofree char *text = object_text (config);
      TcJourneyWindow back;

      g_assert_cmpstr (text, ==, table[i].json);
      g_assert_true (tc_journey_node_check_config (TC_JOURNEY_NODE_WAIT, "w", config, &error));
      g_assert_no_error (error);
      g_assert_true (tc_journey_window_from_config (config, &back));
      g_assert_cmpint (back.from, ==, table[i].window.from);
      g_assert_cmpint (back.to, ==, table[i].window.to);
      g_assert_cmpuint (back.days, ==, table[i].read_days);
    }

  /* What the card says. */
  {
    g_autoptr(TcJourney) cards = tc_journey_new ("Cards");
    g_autoptr(JsonObject) office = tc_journey_window_to_config (&table[0].window);
    g_autoptr(JsonObject) at_ten = tc_journey_window_to_config (&table[1].window);
    g_autofree char *first = NULL;
    g_autofree char *second = NULL;

    g_assert_nonnull (tc_journey_add_node (cards, "w1", TC_JOURNEY_NODE_WAIT, NULL, 0, 0, office,
                                           NULL));
    g_assert_nonnull (tc_journey_add_node (cards, "w2", TC_JOURNEY_NODE_WAIT, NULL, 0, 0, at_ten,
                                           NULL));
    first = tc_journey_node_dup_summary (tc_journey_lookup_node (cards, "w1"));
    second = tc_journey_node_dup_summary (tc_journey_lookup_node (cards, "w2"));
    g_assert_cmpstr (first, ==, "09:00–17:00");
    g_assert_cmpstr (second, ==, "until 10:00");
  }

  /* A wait for a duration has no window. */
  {
    g_autoptr(JsonNode) node = json_from_string ("{\"duration\":3600}", NULL);
    TcJourneyWindow window = { 1, 2, 3 };

    g_assert_false (tc_journey_window_from_config (json_node_get_object (node), &window));
    g_assert_cmpint (window.from, ==, 0);
    g_assert_cmpint (window.to, ==, -1);
    g_assert_cmpuint (window.days, ==, TC_JOURNEY_WINDOW_EVERY_DAY);
  }
  for (guint d = 0; d < 7; d++)
    g_assert_nonnull (tc_journey_window_day_name (d));
  g_assert_cmpstr (tc_journey_window_day_name (0), ==, "mon");
  g_assert_cmpstr (tc_journey_window_day_name (6), ==, "sun");

  /* As the inspector edits: a wait becomes a window, its hour changes
   * (merged into the same step), and undo brings the duration back. */
  id = g_strdup (tc_journey_editor_logic_add_node (logic, TC_JOURNEY_NODE_WAIT, 0, 0, &error));
  g_assert_no_error (error);
  {
    TcJourneyWindow window = { 9 * 60, 17 * 60, TC_JOURNEY_WINDOW_EVERY_DAY };
    g_autoptr(JsonObject) first = tc_journey_window_to_config (&window);
    g_autoptr(JsonObject) second = NULL;
    TcJourneyWindow back;

    g_assert_true (tc_journey_editor_logic_set_config (logic, id, first, &error));
    window.from = 10 * 60;
    window.days = 1u << 5;
    second = tc_journey_window_to_config (&window);
    g_assert_true (tc_journey_editor_logic_set_config (logic, id, second, &error));
    g_assert_no_error (error);
    g_assert_true (tc_journey_window_from_config (tc_journey_lookup_node (journey, id)->config,
                                                  &back));
    g_assert_cmpint (back.from, ==, 10 * 60);
    g_assert_cmpuint (back.days, ==, 1u << 5);
    g_assert_true (tc_journey_editor_logic_undo (logic));
    g_assert_false (tc_journey_window_from_config (tc_journey_lookup_node (journey, id)->config,
                                                   &back));
    g_assert_true (json_object_has_member (tc_journey_lookup_node (journey, id)->config,
                                           "duration"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tc/journey-editor/add-connect-undo-redo", test_add_connect_undo_redo);
  g_test_add_func ("/tc/journey-editor/move-coalesces", test_move_coalesces);
  g_test_add_func ("/tc/journey-editor/delete-restores-edges", test_delete_restores_edges);
  g_test_add_func ("/tc/journey-editor/copy-paste", test_copy_paste);
  g_test_add_func ("/tc/journey-editor/json-round-trip", test_json_round_trip);
  g_test_add_func ("/tc/journey-editor/tidy", test_tidy);
  g_test_add_func ("/tc/journey-editor/tidy-longest-path", test_tidy_longest_path_and_loops);
  g_test_add_func ("/tc/journey-editor/selection-and-hits", test_selection_and_hits);
  g_test_add_func ("/tc/journey-editor/fit-and-zoom", test_fit_and_zoom);
  g_test_add_func ("/tc/journey-editor/validation-marks", test_validation_marks);
  g_test_add_func ("/tc/journey-editor/stats-badges", test_stats_badges);
  g_test_add_func ("/tc/journey-editor/condition-kinds", test_condition_kinds);
  g_test_add_func ("/tc/journey-editor/wait-windows", test_wait_windows);

  return g_test_run ();
}
