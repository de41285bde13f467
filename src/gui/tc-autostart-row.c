/* tc-autostart-row.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-autostart-row"

#include "config.h"

#include <glib/gi18n.h>

#include "tc-autostart.h"
#include "tc-autostart-row.h"
#include "tc-preferences-window.h"

/* After GTK's headers, which say whether GDK has X11. */
#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

#define SETTING "start-at-login"

struct _TcAutostartRow
{
  AdwActionRow  parent_instance;

  GtkSwitch    *toggle;
  GSettings    *settings;
  GCancellable *cancellable;
  gboolean      busy;
};

G_DEFINE_FINAL_TYPE (TcAutostartRow, tc_autostart_row, ADW_TYPE_ACTION_ROW)

static void
toast (TcAutostartRow *self,
       const char     *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (TC_IS_PREFERENCES_WINDOW (root))
    tc_preferences_window_add_toast (TC_PREFERENCES_WINDOW (root), adw_toast_new (text));
}

/* The portal's parent window: "x11:XID" on X11; elsewhere none (the
 * portal's question then has no parent, which it allows). */
static char *
dup_parent_window (TcAutostartRow *self)
{
#ifdef GDK_WINDOWING_X11
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
  GdkSurface *surface = native != NULL ? gtk_native_get_surface (native) : NULL;

  if (surface != NULL && GDK_IS_X11_SURFACE (surface))
    return g_strdup_printf ("x11:%lx", (unsigned long) gdk_x11_surface_get_xid (surface));
#endif
  return g_strdup ("");
}

static void
on_autostart_set_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(TcAutostartRow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean wanted = gtk_switch_get_active (self->toggle);

  self->busy = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->toggle), TRUE);
  if (!tc_autostart_set_finish (result, &error))
    {
      g_debug ("Starting at login stays %s: %s", wanted ? "off" : "on", error->message);
      /* Back to what it was. */
      gtk_switch_set_active (self->toggle, gtk_switch_get_state (self->toggle));
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
        toast (self, _("Your desktop did not allow Textcast to start at login. Allow it in "
                       "Settings, under Apps, then try again."));
      else
        {
          /* Translators: %s says what went wrong */
          g_autofree char *text = g_strdup_printf (_("Textcast could not be set to start at login: %s. "
                                                     "Try again."),
                                                   error->message);

          toast (self, text);
        }
      return;
    }

  gtk_switch_set_state (self->toggle, wanted);
  if (self->settings != NULL)
    g_settings_set_boolean (self->settings, SETTING, wanted);
  g_debug ("Starting at login: %s", wanted ? "on" : "off");
}

static gboolean
on_state_set_cb (GtkSwitch      *toggle,
                 gboolean        state,
                 TcAutostartRow *self)
{
  g_autofree char *parent = NULL;

  /* Shown as it is already (at start, or put back after a failure). */
  if (state == gtk_switch_get_state (toggle))
    return FALSE;
  if (self->busy)
    return TRUE;

  self->busy = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (toggle), FALSE);
  parent = dup_parent_window (self);
  g_debug ("Asking to %s starting at login", state ? "turn on" : "turn off");
  tc_autostart_set_async (TC_AUTOSTART_AUTO, state, parent, self->cancellable, on_autostart_set_cb,
                          g_object_ref (self));
  /* The switch moves; its state follows once it is done. */
  return TRUE;
}

static void
on_autostart_queried_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(TcAutostartRow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean enabled = FALSE;

  if (!tc_autostart_query_finish (result, &enabled, &error))
    return;
  if (self->busy || enabled == gtk_switch_get_state (self->toggle))
    return;
  /* The file was added or removed by hand: show what is true. */
  gtk_switch_set_state (self->toggle, enabled);
  gtk_switch_set_active (self->toggle, enabled);
  if (self->settings != NULL)
    g_settings_set_boolean (self->settings, SETTING, enabled);
}

static void
tc_autostart_row_dispose (GObject *object)
{
  TcAutostartRow *self = TC_AUTOSTART_ROW (object);

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (tc_autostart_row_parent_class)->dispose (object);
}

static void
tc_autostart_row_finalize (GObject *object)
{
  TcAutostartRow *self = TC_AUTOSTART_ROW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tc_autostart_row_parent_class)->finalize (object);
}

static void
tc_autostart_row_class_init (TcAutostartRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tc_autostart_row_dispose;
  object_class->finalize = tc_autostart_row_finalize;
}

static void
tc_autostart_row_init (TcAutostartRow *self)
{
  self->cancellable = g_cancellable_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), _("Start at Lo_gin"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self),
                               _("Textcast starts hidden when you log in, to receive replies and run "
                                 "journeys; open it as usual to see the window"));

  self->toggle = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->toggle), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Start at login"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), GTK_WIDGET (self->toggle));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self), GTK_WIDGET (self->toggle));
  g_signal_connect (self->toggle, "state-set", G_CALLBACK (on_state_set_cb), self);
}

GtkWidget *
tc_autostart_row_new (GSettings *settings)
{
  TcAutostartRow *self = g_object_new (TC_TYPE_AUTOSTART_ROW, NULL);
  gboolean enabled = FALSE;

  g_return_val_if_fail (!settings || G_IS_SETTINGS (settings), NULL);

  if (settings != NULL)
    {
      g_autoptr(GSettingsSchema) schema = NULL;

      g_object_get (settings, "settings-schema", &schema, NULL);
      if (schema != NULL && g_settings_schema_has_key (schema, SETTING))
        {
          self->settings = g_object_ref (settings);
          enabled = g_settings_get_boolean (settings, SETTING);
        }
    }
  gtk_switch_set_state (self->toggle, enabled);
  gtk_switch_set_active (self->toggle, enabled);

  tc_autostart_query_async (TC_AUTOSTART_AUTO, self->cancellable, on_autostart_queried_cb,
                            g_object_ref (self));
  return GTK_WIDGET (self);
}
