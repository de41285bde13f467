/* test-toasts.c: one toast at a time (tc-toasts.c), in a real window
 * (needs a display; meson runs it under xvfb-run).
 *
 * The first two cases are sequences that crash libadwaita 1.2 when its
 * own queue is used: a second toast shown while the first goes away, and
 * dismissed soon after (adw_toast_overlay_add_toast twice, then
 * adw_toast_dismiss on both, ends in SIGSEGV 500 ms later); and a toast
 * dismissed in the frame it was shown in.
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-toasts"

#include "config.h"

#include <adwaita.h>

#include "tc-toasts.h"

static gboolean
on_timeout_cb (gpointer user_data)
{
  gboolean *done = user_data;

  *done = TRUE;

  return G_SOURCE_REMOVE;
}

static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static guint
count_toast_widgets (GtkWidget *overlay)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (overlay);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (g_strcmp0 (gtk_widget_get_css_name (child), "toast") == 0)
        n++;
    }

  return n;
}

/* Spins until @toast is the one shown, checking meanwhile that no two
 * toast widgets are ever in the overlay; fails after 3 s. */
static void
wait_shown (GtkWidget *overlay,
            AdwToast  *toast)
{
  gint64 end = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

  while (tc_toasts_get_shown (overlay) != toast)
    {
      g_assert_cmpuint (count_toast_widgets (overlay), <=, 1);
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  g_assert_cmpuint (count_toast_widgets (overlay), ==, 1);
}

static GtkWidget *
new_window (GtkWidget **overlay)
{
  GtkWidget *window = gtk_window_new ();

  *overlay = adw_toast_overlay_new ();
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (*overlay), gtk_label_new ("Textcast"));
  gtk_window_set_child (GTK_WINDOW (window), *overlay);
  gtk_window_set_default_size (GTK_WINDOW (window), 480, 320);
  gtk_window_present (GTK_WINDOW (window));
  for (guint i = 0; i < 2000 && !gtk_widget_get_mapped (*overlay); i++)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_get_mapped (*overlay));

  return window;
}

/* A second toast waits for the first to go, and dismissing it while it
 * comes in (twice, as two quick Escapes would) does no harm. */
static void
test_replace_then_dismiss (void)
{
  GtkWidget *overlay;
  GtkWidget *window = new_window (&overlay);
  g_autoptr(AdwToast) a = g_object_ref (adw_toast_new ("A price that is not a number"));
  g_autoptr(AdwToast) b = g_object_ref (adw_toast_new ("Your prices were removed"));

  tc_toasts_add (overlay, g_object_ref (a));
  wait_shown (overlay, a);
  spin (700);

  tc_toasts_add (overlay, g_object_ref (b));
  /* A goes at once; B waits for A's widget to leave. */
  g_assert_null (tc_toasts_get_shown (overlay));
  wait_shown (overlay, b);

  /* Two quick Escapes, the first in B's show animation. */
  spin (50);
  adw_toast_dismiss (b);
  adw_toast_dismiss (b);
  g_assert_null (tc_toasts_get_shown (overlay));
  /* Past every show and hide animation (at most 500 ms). */
  spin (1200);
  g_assert_cmpuint (count_toast_widgets (overlay), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Toasts that come while one waits replace it: the latest is shown. */
static void
test_latest_wins (void)
{
  GtkWidget *overlay;
  GtkWidget *window = new_window (&overlay);
  g_autoptr(AdwToast) first = g_object_ref (adw_toast_new ("Saved"));
  g_autoptr(AdwToast) second = g_object_ref (adw_toast_new ("Saved again"));
  g_autoptr(AdwToast) third = g_object_ref (adw_toast_new ("Import cancelled"));

  tc_toasts_add (overlay, g_object_ref (first));
  wait_shown (overlay, first);
  tc_toasts_add (overlay, g_object_ref (second));
  tc_toasts_add (overlay, g_object_ref (third));
  /* The second is never shown. */
  for (guint i = 0; i < 3000 && tc_toasts_get_shown (overlay) != third; i++)
    {
      g_assert_true (tc_toasts_get_shown (overlay) != second);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  wait_shown (overlay, third);
  spin (400);
  g_assert_true (tc_toasts_get_shown (overlay) == third);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Two toasts in one turn of the main loop: the first is not dismissed
 * in the frame it was shown in (its hide would end with its show). */
static void
test_same_turn (void)
{
  GtkWidget *overlay;
  GtkWidget *window = new_window (&overlay);
  g_autoptr(AdwToast) a = g_object_ref (adw_toast_new ("Template saved"));
  g_autoptr(AdwToast) b = g_object_ref (adw_toast_new ("Template duplicated"));

  tc_toasts_add (overlay, g_object_ref (a));
  tc_toasts_add (overlay, g_object_ref (b));
  g_assert_true (tc_toasts_get_shown (overlay) == a);
  wait_shown (overlay, b);
  spin (1200);
  g_assert_true (tc_toasts_get_shown (overlay) == b);
  g_assert_cmpuint (count_toast_widgets (overlay), ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A toast still waiting when the window goes is let go of with it. */
static void
test_pending_destroyed (void)
{
  GtkWidget *overlay;
  GtkWidget *window = new_window (&overlay);
  g_autoptr(AdwToast) shown = g_object_ref (adw_toast_new ("Shown"));
  AdwToast *left = adw_toast_new ("Left behind");

  g_object_add_weak_pointer (G_OBJECT (left), (gpointer *) &left);

  tc_toasts_add (overlay, g_object_ref (shown));
  wait_shown (overlay, shown);
  tc_toasts_add (overlay, left);
  g_assert_nonnull (left);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_null (left);
  spin (600);
}

/* tc_toasts_say() finds the overlay around a widget; a preferences
 * window is a host of its own. */
static void
test_hosts (void)
{
  GtkWidget *overlay;
  GtkWidget *window = new_window (&overlay);
  GtkWidget *label = adw_toast_overlay_get_child (ADW_TOAST_OVERLAY (overlay));
  GtkWidget *prefs = adw_preferences_window_new ();
  GtkWidget *page = adw_preferences_page_new ();
  g_autoptr(AdwToast) in_prefs = g_object_ref (adw_toast_new ("Prices saved"));
  AdwToast *said;

  tc_toasts_say (label, "Consent recorded", 5);
  for (guint i = 0; i < 2000 && tc_toasts_get_shown (overlay) == NULL; i++)
    g_main_context_iteration (NULL, FALSE);
  said = tc_toasts_get_shown (overlay);
  g_assert_nonnull (said);
  g_assert_cmpstr (adw_toast_get_title (said), ==, "Consent recorded");
  g_assert_cmpuint (adw_toast_get_timeout (said), ==, 5);
  g_assert_true (tc_toasts_get_shown (label) == NULL);

  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (prefs), ADW_PREFERENCES_PAGE (page));
  gtk_window_present (GTK_WINDOW (prefs));
  for (guint i = 0; i < 2000 && !gtk_widget_get_mapped (prefs); i++)
    g_main_context_iteration (NULL, TRUE);
  tc_toasts_add (prefs, g_object_ref (in_prefs));
  g_assert_true (tc_toasts_get_shown (prefs) == in_prefs);
  g_assert_true (adw_toast_get_title (in_prefs) != NULL);

  gtk_window_destroy (GTK_WINDOW (prefs));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/toasts/replace-then-dismiss", test_replace_then_dismiss);
  g_test_add_func ("/toasts/same-turn", test_same_turn);
  g_test_add_func ("/toasts/latest-wins", test_latest_wins);
  g_test_add_func ("/toasts/pending-destroyed", test_pending_destroyed);
  g_test_add_func ("/toasts/hosts", test_hosts);

  return g_test_run ();
}
