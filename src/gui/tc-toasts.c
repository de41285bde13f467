/* tc-toasts.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-toasts"

#include "config.h"

#include "tc-toasts.h"

#define PRESENTER_KEY "tc-toasts-presenter"
#define POLL_MS 50
/* libadwaita 1.2 hides a toast in 300 ms; past this, something is wrong
 * with the frame clock and the next toast is shown regardless. */
#define MAX_WAIT_US (2 * G_USEC_PER_SEC)
/* A toast is shown in 300 ms (500 when it replaces one); it is not
 * dismissed to make room for the next before that is over. */
#define SETTLE_US (550 * G_TIME_SPAN_MILLISECOND)

typedef struct
{
  AdwToastOverlay *overlay;      /* not owned; NULL once destroyed */
  AdwToast        *shown;        /* owned ref: in the overlay, not dismissed */
  AdwToast        *pending;      /* owned: waits for the overlay to be empty */
  guint            poll_source;
  gint64           shown_at;
  gint64           waiting_since;
} Presenter;

static void
forget_toast (Presenter *self,
              AdwToast **slot)
{
  if (*slot == NULL)
    return;
  g_signal_handlers_disconnect_by_data (*slot, self);
  g_clear_object (slot);
}

static void
presenter_free (Presenter *self)
{
  g_clear_handle_id (&self->poll_source, g_source_remove);
  forget_toast (self, &self->shown);
  g_clear_object (&self->pending);
  g_free (self);
}

static void
on_overlay_destroy_cb (GtkWidget *overlay,
                       Presenter *self)
{
  g_clear_handle_id (&self->poll_source, g_source_remove);
  g_clear_object (&self->pending);
  self->overlay = NULL;
}

static gboolean
unref_later_cb (gpointer toast)
{
  g_object_unref (toast);

  return G_SOURCE_REMOVE;
}

static void
on_dismissed_cb (AdwToast  *toast,
                 Presenter *self)
{
  if (toast != self->shown)
    return;
  g_signal_handlers_disconnect_by_data (toast, self);
  /* Not freed inside its own signal. */
  g_idle_add_full (G_PRIORITY_DEFAULT, unref_later_cb, g_steal_pointer (&self->shown), NULL);
}

/* Whether a toast widget (CSS name "toast") is still in the overlay: it
 * leaves when its hide animation is over. */
static gboolean
overlay_has_toast_widget (AdwToastOverlay *overlay)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (overlay));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (g_strcmp0 (gtk_widget_get_css_name (child), "toast") == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean on_poll_cb (gpointer user_data);

static void
poll_later (Presenter *self)
{
  if (self->poll_source == 0)
    {
      self->poll_source = g_timeout_add (POLL_MS, on_poll_cb, self);
      g_source_set_name_by_id (self->poll_source, "[textcast] next toast");
    }
}

static void
flush (Presenter *self)
{
  AdwToast *toast;
  gint64 now = g_get_monotonic_time ();

  if (self->overlay == NULL || self->pending == NULL)
    return;

  if (self->shown != NULL)
    {
      /* Not in its show animation: a hide that ends with it, in the same
       * frame, crashes libadwaita 1.2 just the same. */
      if (now - self->shown_at < SETTLE_US)
        {
          poll_later (self);
          return;
        }
      /* on_dismissed_cb() forgets it. */
      adw_toast_dismiss (self->shown);
    }

  if (overlay_has_toast_widget (self->overlay))
    {
      if (self->waiting_since == 0)
        self->waiting_since = now;
      if (now - self->waiting_since < MAX_WAIT_US)
        {
          poll_later (self);
          return;
        }
      g_debug ("The last toast did not go away within 2 s; showing the next one regardless");
    }

  self->waiting_since = 0;
  self->shown_at = now;
  toast = g_steal_pointer (&self->pending);
  self->shown = g_object_ref (toast);
  g_signal_connect (toast, "dismissed", G_CALLBACK (on_dismissed_cb), self);
  adw_toast_overlay_add_toast (self->overlay, toast);
}

static gboolean
on_poll_cb (gpointer user_data)
{
  Presenter *self = user_data;

  self->poll_source = 0;
  flush (self);

  return G_SOURCE_REMOVE;
}

static AdwToastOverlay *
find_overlay (GtkWidget *widget)
{
  if (ADW_IS_TOAST_OVERLAY (widget))
    return ADW_TOAST_OVERLAY (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwToastOverlay *found = find_overlay (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static Presenter *
get_presenter (GtkWidget *host,
               gboolean   create)
{
  AdwToastOverlay *overlay = find_overlay (host);
  Presenter *self;

  if (overlay == NULL)
    return NULL;

  self = g_object_get_data (G_OBJECT (overlay), PRESENTER_KEY);
  if (self == NULL && create)
    {
      self = g_new0 (Presenter, 1);
      self->overlay = overlay;
      g_object_set_data_full (G_OBJECT (overlay), PRESENTER_KEY, self,
                              (GDestroyNotify) presenter_free);
      g_signal_connect (overlay, "destroy", G_CALLBACK (on_overlay_destroy_cb), self);
    }

  return self;
}

void
tc_toasts_add (GtkWidget *host,
               AdwToast  *toast)
{
  Presenter *self;

  g_return_if_fail (GTK_IS_WIDGET (host));
  g_return_if_fail (ADW_IS_TOAST (toast));

  self = get_presenter (host, TRUE);
  if (self == NULL || self->overlay == NULL)
    {
      g_critical ("%s: %s has no toast overlay", G_STRFUNC, G_OBJECT_TYPE_NAME (host));
      g_object_unref (toast);
      return;
    }

  /* A newer toast takes the place of one still waiting. */
  g_clear_object (&self->pending);
  self->pending = toast;

  flush (self);
}

void
tc_toasts_say (GtkWidget  *widget,
               const char *text,
               guint       timeout)
{
  GtkWidget *overlay;
  AdwToast *toast;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (text != NULL);

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    return;

  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, timeout);
  tc_toasts_add (overlay, toast);
}

AdwToast *
tc_toasts_get_shown (GtkWidget *host)
{
  Presenter *self;

  g_return_val_if_fail (GTK_IS_WIDGET (host), NULL);

  self = get_presenter (host, FALSE);

  return self != NULL ? self->shown : NULL;
}
