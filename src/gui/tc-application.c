/* tc-application.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-application"

#include "config.h"

#include <glib/gi18n.h>

#include "tc-application.h"
#include "tc-context.h"
#include "tc-gui-util.h"
#include "tc-inbox.h"
#include "tc-journey-store.h"
#include "tc-stall-meter.h"
#include "tc-repository.h"
#include "tc-window.h"

#define SETTINGS_SCHEMA_ID "io.github.textcast.Textcast"
/* The nice increment of the database threads (tc_repository_set_thread_niceness). */
#define BACKGROUND_NICENESS 10

struct _TcApplication
{
  AdwApplication  parent_instance;

  TcContext      *context;
  GSettings      *settings;
  TcSendService  *send_service;
  /* Stops of the send service still running (each holds the app). */
  guint           n_stopping;

  /* From the command line. */
  char           *db_path;
  gboolean        sample;
  /* Quit was chosen while sending was stopping: quit once it has. */
  gboolean        quit_pending;
  /* No window, still sending: the app holds itself until that is done. */
  gboolean        background;
  /* …or journeys are active: it holds itself until quit. */
  gboolean        background_journeys;
  /* Quit was chosen: closing the windows must not keep the app running. */
  gboolean        quitting;
  /* TEXTCAST_STALL_REPORT: the responsiveness benchmark's meter. */
  TcStallMeter   *stall_meter;
  /* --background (as started at login): the first activation opens no
   * window; the app runs hidden, holding itself (hidden), and goes back
   * to that when its window closes (resident) until Quit (quitting). */
  gboolean        start_hidden;
  gboolean        hidden;
  gboolean        resident;
  gboolean        opening_hidden;
  gboolean        window_pending;
};

G_DEFINE_FINAL_TYPE (TcApplication, tc_application, ADW_TYPE_APPLICATION)

static const GOptionEntry main_entries[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Open the workspace stored in FILE instead of the default one"), N_("FILE") },
  { "sample", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Fill an empty workspace with sample contacts"), NULL },
  { "background", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Start without a window, to receive replies and run journeys (as at login)"), NULL },
  { NULL }
};

static TcWindow *
get_or_create_window (TcApplication *self)
{
  GtkWindow *window;

  g_assert (TC_IS_APPLICATION (self));

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (TC_IS_WINDOW (window))
    return TC_WINDOW (window);

  return tc_window_new (self, self->sample);
}

/* Notifications go through the session bus; without one (a bare X server,
 * a container) there is nobody to show them. */
static void
send_notification (TcApplication *self,
                   const char    *id,
                   GNotification *notification)
{
  if (g_application_get_dbus_connection (G_APPLICATION (self)) == NULL)
    return;
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

static void stop_sending    (TcApplication *self);
static gboolean has_main_window (TcApplication *self);
static void leave_background (TcApplication *self);
static void on_background_service_changed_cb (TcSendService *service,
                                              TcApplication *self);

static void
on_quit_activated_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  TcApplication *self = user_data;
  GList *windows;

  self->quitting = TRUE;
  /* Running hidden: stop sending, then quit. */
  if (self->hidden)
    {
      self->hidden = FALSE;
      stop_sending (self);
      g_application_release (G_APPLICATION (self));
    }

  /* Sending in the background: stop it (what is in flight is recorded;
   * the rest goes out the next time Textcast runs), then quit. */
  if (self->background)
    {
      g_debug ("Quitting from the background");
      leave_background (self);
      stop_sending (self);
    }

  /* Close the main windows first, as the close button would: each saves
   * its state and cancels its own work (their dialogs go with them). */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (const GList *l = windows; l != NULL; l = l->next)
    if (TC_IS_WINDOW (l->data))
      gtk_window_close (GTK_WINDOW (l->data));
  g_list_free (windows);

  /* A window asked first (unsaved changes): it closes itself once
   * answered, and the app goes with it; or the question was cancelled
   * (tc_application_cancel_quit()). */
  if (has_main_window (self))
    return;

  /* Messages in flight are recorded before the app goes: the stop holds
   * the app, and quits it when done. */
  if (self->n_stopping > 0)
    {
      self->quit_pending = TRUE;
      return;
    }

  g_application_quit (G_APPLICATION (self));
}

/* How long the app waits for sending to stop before it exits anyway (the
 * next start reconciles what was in flight). */
#define STOP_TIMEOUT_S 60

typedef struct
{
  TcApplication *self;
  guint          timeout;
  gboolean       released;
} Stop;

static void
stop_release (Stop *stop)
{
  TcApplication *self = stop->self;

  if (stop->released)
    return;

  stop->released = TRUE;
  g_clear_handle_id (&stop->timeout, g_source_remove);
  self->n_stopping--;
  if (self->n_stopping == 0 && self->quit_pending)
    {
      self->quit_pending = FALSE;
      g_application_quit (G_APPLICATION (self));
    }
  g_application_release (G_APPLICATION (self));
}

static gboolean
on_stop_timeout_cb (gpointer user_data)
{
  Stop *stop = user_data;

  stop->timeout = 0;
  g_message ("Sending did not stop within %d seconds; closing anyway (the next start "
             "checks the messages that were on their way)", STOP_TIMEOUT_S);
  stop_release (stop);

  return G_SOURCE_REMOVE;
}

static void
on_send_service_stopped_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  Stop *stop = user_data;
  g_autoptr(GError) error = NULL;

  if (!tc_send_service_stop_finish (TC_SEND_SERVICE (object), result, &error))
    g_warning ("Sending did not stop cleanly: %s", error->message);

  stop_release (stop);
  g_free (stop);
}

/* Held before GtkApplication lets go of the window's hold, so the app
 * does not exit before the stop has finished. */
static void
stop_sending (TcApplication *self)
{
  Stop *stop = g_new0 (Stop, 1);

  stop->self = self;
  stop->timeout = g_timeout_add_seconds (STOP_TIMEOUT_S, on_stop_timeout_cb, stop);
  g_application_hold (G_APPLICATION (self));
  self->n_stopping++;
  tc_send_service_stop_async (self->send_service, on_send_service_stopped_cb, stop);
}

static gboolean
is_sending (TcApplication *self)
{
  return self->send_service != NULL && tc_send_service_get_progress (self->send_service, NULL, NULL);
}

static void
leave_background (TcApplication *self)
{
  if (!self->background)
    return;

  self->background = FALSE;
  self->background_journeys = FALSE;
  g_signal_handlers_disconnect_by_func (self->send_service, on_background_service_changed_cb, self);
  g_application_withdraw_notification (G_APPLICATION (self), "background");
  g_application_release (G_APPLICATION (self));
}

/* In the background: once nothing is left to send, say so and go. */
static void
on_background_service_changed_cb (TcSendService *service,
                                  TcApplication *self)
{
  g_autoptr(GNotification) notification = NULL;
  guint64 done = 0;

  if (!self->background || is_sending (self))
    return;

  tc_send_service_get_progress (service, &done, NULL);
  g_debug ("Sending finished in the background; quitting");
  notification = g_notification_new (_("Textcast Has Finished Sending"));
  g_notification_set_body (notification, _("Every message has gone out. Open Textcast to see how they did."));
  g_notification_set_default_action (notification, "app.show-window");
  send_notification (self, "finished", notification);
  leave_background (self);
  stop_sending (self);
}

/* The window closed while journeys are active: keep running them (and
 * sending what they queue) until the person quits. The first time, a
 * notification explains it; afterwards the same notification, with its
 * Open and Quit buttons, comes quietly (low priority: no banner in GNOME
 * Shell, only an entry in the list), as the way back to the window and
 * out of the app. */
static void
enter_background_journeys (TcApplication *self,
                           guint          n_active)
{
  g_autoptr(GNotification) notification = NULL;
  gboolean explained = FALSE;

  self->background = TRUE;
  self->background_journeys = TRUE;
  g_application_hold (G_APPLICATION (self));

  if (self->settings != NULL)
    explained = g_settings_get_boolean (self->settings, "journeys-background-explained");

  notification = g_notification_new (_("Textcast Keeps Running Your Journeys"));
  if (!explained)
    g_notification_set_body (notification,
                             _("Active journeys go on while the window is closed: Textcast stays in "
                               "the background to send their messages at the right moments. Open "
                               "Textcast to see them, or quit to hold them until Textcast runs "
                               "again."));
  else
    g_notification_set_body (notification,
                             _("Open Textcast to see them, or quit to hold them until Textcast runs "
                               "again."));
  g_notification_set_priority (notification, explained ? G_NOTIFICATION_PRIORITY_LOW
                                                        : G_NOTIFICATION_PRIORITY_NORMAL);
  g_notification_set_default_action (notification, "app.show-window");
  g_notification_add_button (notification, _("Open Textcast"), "app.show-window");
  g_notification_add_button (notification, _("Quit"), "app.quit");
  send_notification (self, "background", notification);
  if (!explained && self->settings != NULL)
    g_settings_set_boolean (self->settings, "journeys-background-explained", TRUE);
  g_debug ("The window closed with %u active journeys: running in the background (%s)",
           n_active, explained ? "quietly" : "explained");
}

/* The window closed while messages are still going out: keep sending
 * without it, say so, and offer to quit. */
static void
enter_background (TcApplication *self)
{
  g_autoptr(GNotification) notification = NULL;
  guint64 done = 0, total = 0;
  g_autofree char *body = NULL;

  self->background = TRUE;
  g_application_hold (G_APPLICATION (self));
  g_signal_connect_object (self->send_service, "changed", G_CALLBACK (on_background_service_changed_cb),
                           self, 0);

  tc_send_service_get_progress (self->send_service, &done, &total);
  if (total > done)
    {
      guint left = (guint) MIN (total - done, G_MAXUINT);
      g_autofree char *number = tc_gui_format_number (left);

      /* Translators: %s is a number of messages, written as the locale writes numbers */
      body = g_strdup_printf (ngettext ("%s message is still to go out. Quit to stop sending: what is "
                                        "left goes out the next time Textcast runs.",
                                        "%s messages are still to go out. Quit to stop sending: what is "
                                        "left goes out the next time Textcast runs.",
                                        left),
                              number);
    }
  else
    body = g_strdup (_("Messages are still going out. Quit to stop sending: what is left goes out "
                       "the next time Textcast runs."));
  notification = g_notification_new (_("Textcast Keeps Sending in the Background"));
  g_notification_set_body (notification, body);
  g_notification_set_default_action (notification, "app.show-window");
  g_notification_add_button (notification, _("Open Textcast"), "app.show-window");
  g_notification_add_button (notification, _("Quit"), "app.quit");
  send_notification (self, "background", notification);
  g_debug ("The window closed while sending: running in the background");
}

static gboolean
has_main_window (TcApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (TC_IS_WINDOW (l->data))
      return TRUE;
  return FALSE;
}

/* The journeys run with sending; they do not when it could not start. */
static gboolean
journeys_can_run (TcApplication *self)
{
  TcSendProblem problem = tc_send_service_get_problem (self->send_service);

  return problem != TC_SEND_PROBLEM_SETTINGS && problem != TC_SEND_PROBLEM_ENDPOINT;
}

static void
on_close_journeys_listed_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  TcApplication *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) journeys = NULL;
  guint n_active = 0;

  journeys = tc_journey_store_list_finish (TC_REPOSITORY (object), result, &error);
  if (journeys == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("Could not tell whether journeys are active: %s", error->message);
  for (guint i = 0; journeys != NULL && i < journeys->len; i++)
    {
      TcJourneyInfo *info = g_ptr_array_index (journeys, i);

      if (tc_journey_get_state (info->journey) == TC_JOURNEY_ACTIVE)
        n_active++;
    }

  /* Opened again meanwhile: the window holds the app, and sending never
   * stopped. */
  if (has_main_window (self))
    ;
  else if (self->quitting || self->quit_pending)
    stop_sending (self);
  else if (n_active > 0 && journeys_can_run (self))
    enter_background_journeys (self, n_active);
  else if (is_sending (self))
    enter_background (self);
  else
    stop_sending (self);

  /* The hold of decide_background(). */
  g_application_release (G_APPLICATION (self));
  g_object_unref (self);
}

/* The last window closed: keep running without it while journeys are
 * active or messages are still going out, else stop sending. Whether
 * journeys are active is a read on the repository's worker; the app holds
 * itself until the answer is in. */
static void
decide_background (TcApplication *self)
{
  g_application_hold (G_APPLICATION (self));
  tc_journey_store_list_async (tc_context_get_repository (self->context), NULL,
                               on_close_journeys_listed_cb, g_object_ref (self));
}

static void
tc_application_window_removed (GtkApplication *app,
                               GtkWindow      *window)
{
  TcApplication *self = TC_APPLICATION (app);
  gboolean last = TC_IS_WINDOW (window);

  for (GList *l = gtk_application_get_windows (app); l != NULL && last; l = l->next)
    if (l->data != window && TC_IS_WINDOW (l->data))
      last = FALSE;

  if (last && self->send_service != NULL && self->resident && !self->quitting && !self->hidden)
    {
      /* Started at login: back to running hidden, as it began. */
      self->hidden = TRUE;
      g_application_hold (G_APPLICATION (self));
      g_debug ("The window closed; running on hidden (started with --background)");
    }
  else if (last && self->send_service != NULL)
    {
      if (!self->quit_pending && !self->quitting && self->settings != NULL &&
          g_settings_get_boolean (self->settings, "run-in-background"))
        decide_background (self);
      else
        stop_sending (self);
    }

  GTK_APPLICATION_CLASS (tc_application_parent_class)->window_removed (app, window);
}

static void
on_about_activated_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  TcApplication *self = user_data;
  static const char *developers[] = { "The Textcast authors", NULL };
  GtkWindow *parent;
  GtkWidget *about;

  parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", TRUE,
                        "application-name", _("Textcast"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Textcast authors"),
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "comments", _("SMS and WhatsApp marketing for shops and service businesses, with the consent of every customer on record."),
                        "copyright", "© 2026 The Textcast authors",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: your names, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

/* From a notification: the window, on that conversation. */
static void
on_show_conversation_activated_cb (GSimpleAction *action,
                                   GVariant      *parameter,
                                   gpointer       user_data)
{
  TcApplication *self = user_data;
  TcWindow *window = get_or_create_window (self);

  gtk_window_present (GTK_WINDOW (window));
  tc_window_show_conversation (window, g_variant_get_int64 (parameter));
}

static void
on_show_window_activated_cb (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  g_application_activate (G_APPLICATION (user_data));
}

static const GActionEntry app_entries[] = {
  { "quit", on_quit_activated_cb },
  { "show-window", on_show_window_activated_cb },
  { "about", on_about_activated_cb },
  { "show-conversation", on_show_conversation_activated_cb, "x" },
};

typedef struct
{
  TcApplication *self;
  gint64         inbound_id;
} NotifyData;

static void
on_notify_thread_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  NotifyData *data = user_data;
  g_autoptr(TcApplication) self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(TcConversation) conversation = NULL;
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autofree char *id = NULL;
  const TcInboxMessage *message = NULL;
  gint64 inbound_id = data->inbound_id;

  g_free (data);
  messages = tc_inbox_thread_finish (TC_REPOSITORY (object), result, &conversation, &error);
  if (messages == NULL)
    {
      g_debug ("No notification: %s", error->message);
      return;
    }
  for (guint i = 0; i < messages->len; i++)
    {
      const TcInboxMessage *candidate = g_ptr_array_index (messages, i);

      if (candidate->direction == TC_INBOX_MESSAGE_INBOUND && candidate->id == inbound_id)
        message = candidate;
    }
  if (message == NULL)
    return;

  /* Translators: %s is a person's name or phone number */
  title = g_strdup_printf (_("New message from %s"),
                           conversation->name[0] != '\0' ? conversation->name : conversation->phone);
  body = tc_inbox_message_describe_action (message);
  if (body == NULL)
    body = g_strdup (message->body);
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target (notification, "app.show-conversation", "x",
                                                 conversation->contact_id);
  g_notification_add_button_with_target (notification, _("Reply"), "app.show-conversation", "x",
                                         conversation->contact_id);
  /* One notification per person: a second message replaces the first. */
  id = g_strdup_printf ("conversation-%" G_GINT64_FORMAT, conversation->contact_id);
  send_notification (self, id, notification);
  g_debug ("Notified: %s", title);
}

/* A message came in: tell the person, unless they are reading that very
 * conversation. */
static void
on_message_received_cb (TcSendService *service,
                        gint64         contact_id,
                        gint64         inbound_id,
                        const char    *action,
                        TcApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  NotifyData *data;

  if (TC_IS_WINDOW (window) && gtk_window_is_active (window) &&
      tc_window_shows_conversation (TC_WINDOW (window), contact_id))
    return;

  data = g_new0 (NotifyData, 1);
  data->self = g_object_ref (self);
  data->inbound_id = inbound_id;
  tc_inbox_thread_async (tc_context_get_repository (self->context), contact_id, 20, NULL,
                         on_notify_thread_cb, data);
}

static int
tc_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  TcApplication *self = TC_APPLICATION (app);
  const char *db = NULL;

  if (g_variant_dict_lookup (options, "db", "^&ay", &db) && db[0] != '\0')
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (db);

      g_free (self->db_path);
      self->db_path = g_file_get_path (file);

      /* Another workspace is another program as far as the session is
       * concerned: don't hand the request to an instance that already has
       * the default workspace open. */
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }

  if (g_variant_dict_contains (options, "sample"))
    self->sample = TRUE;

  if (g_variant_dict_contains (options, "background"))
    {
      g_autoptr(GError) error = NULL;

      /* Already running: it is in the background or shown; nothing to do. */
      if (g_application_register (app, NULL, &error) && g_application_get_is_remote (app))
        return EXIT_SUCCESS;
      self->start_hidden = TRUE;
    }

  return -1;
}

/* TEXTCAST_HTTP_PORT replaces the http.port setting (0: any free port),
 * for tests that run side by side; -1 when not set. */
static gint
port_override (void)
{
  const char *text = g_getenv ("TEXTCAST_HTTP_PORT");
  guint64 port;

  if (text == NULL || text[0] == '\0')
    return -1;

  if (!g_ascii_string_to_unsigned (text, 10, 0, 65535, &port, NULL))
    {
      g_message ("TEXTCAST_HTTP_PORT=%s is not a port (0 to 65535); using the http.port setting",
                 text);
      return -1;
    }

  return (gint) port;
}

static void
tc_application_startup (GApplication *app)
{
  TcApplication *self = TC_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *import_accels[] = { "<Control>i", NULL };
  static const char *export_accels[] = { "<Control>e", NULL };
  static const char *search_accels[] = { "<Control>f", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  GSettingsSchemaSource *source;
  g_autoptr(GSettingsSchema) schema = NULL;

  G_APPLICATION_CLASS (tc_application_parent_class)->startup (app);

  if (g_getenv ("TEXTCAST_STALL_REPORT") != NULL && g_getenv ("TEXTCAST_STALL_REPORT")[0] != '\0')
    self->stall_meter = tc_stall_meter_new (g_getenv ("TEXTCAST_STALL_REPORT"));

  g_set_application_name (_("Textcast"));
  gtk_window_set_default_icon_name (APP_ID);

  source = g_settings_schema_source_get_default ();
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, SETTINGS_SCHEMA_ID, TRUE);
  if (schema != NULL)
    self->settings = g_settings_new_full (schema, NULL, NULL);
  else
    g_message ("Settings schema %s is not installed; window size and folders will not be remembered",
               SETTINGS_SCHEMA_ID);

  /* The database threads (the engine, the journeys, the lists' pages) give
   * way to this one: with two cores busy sending, the window still answers
   * within a frame or two (tests/bench/RESULTS.md, bench-responsiveness). */
  tc_repository_set_thread_niceness (BACKGROUND_NICENESS);
  self->context = tc_context_new (self->db_path);
  self->send_service = tc_send_service_new (tc_context_get_repository (self->context),
                                            port_override ());
  g_signal_connect_object (self->send_service, "message-received", G_CALLBACK (on_message_received_cb),
                           self, 0);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries,
                                   G_N_ELEMENTS (app_entries), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.import", import_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.export", export_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.search", search_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.preferences", preferences_accels);
}

/* A window is shown: it holds the app from now on. */
static void
leave_hidden (TcApplication *self)
{
  if (!self->hidden)
    return;
  self->hidden = FALSE;
  g_application_release (G_APPLICATION (self));
  g_debug ("Shown after running hidden");
}

static void
on_hidden_opened_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(TcApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  self->opening_hidden = FALSE;
  if (!tc_repository_open_finish (TC_REPOSITORY (object), result, &error))
    {
      /* The window says what is wrong with the workspace; without one
       * there is nobody to tell. */
      g_message ("Cannot open the workspace (%s); not starting in the background", error->message);
      self->resident = FALSE;
    }
  else if (self->hidden)
    {
      tc_send_service_start (self->send_service);
      g_debug ("Started hidden: receiving replies and running journeys");
    }

  if (self->window_pending)
    {
      self->window_pending = FALSE;
      g_application_activate (G_APPLICATION (self));
    }
  else if (error != NULL && self->hidden)
    {
      self->hidden = FALSE;
      g_application_release (G_APPLICATION (self));
    }
}

/* --background: no window; the workspace opened and sending (replies,
 * webhooks, journeys) started, as the window would. */
static void
start_hidden (TcApplication *self)
{
  self->hidden = TRUE;
  self->resident = TRUE;
  self->opening_hidden = TRUE;
  g_application_hold (G_APPLICATION (self));
  tc_repository_open_async (tc_context_get_repository (self->context), NULL, on_hidden_opened_cb,
                            g_object_ref (self));
}

static void
tc_application_activate (GApplication *app)
{
  TcApplication *self = TC_APPLICATION (app);

  if (self->start_hidden)
    {
      self->start_hidden = FALSE;
      start_hidden (self);
      return;
    }
  /* Opened while the hidden start opens the workspace: once it has. */
  if (self->opening_hidden)
    {
      self->window_pending = TRUE;
      return;
    }

  gtk_window_present (GTK_WINDOW (get_or_create_window (self)));
  /* Opened again while sending in the background: the window holds the
   * app from now on. */
  leave_background (self);
  leave_hidden (self);
}

static void
tc_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  TcApplication *self = TC_APPLICATION (app);
  TcWindow *window;

  window = get_or_create_window (self);
  gtk_window_present (GTK_WINDOW (window));
  leave_hidden (self);

  /* One import at a time: the first file is the one the user meant. */
  if (n_files > 0)
    tc_window_import_file (window, files[0]);
}

static void
tc_application_shutdown (GApplication *app)
{
  TcApplication *self = TC_APPLICATION (app);

  g_clear_pointer (&self->stall_meter, tc_stall_meter_free);
  G_APPLICATION_CLASS (tc_application_parent_class)->shutdown (app);

  /* Whatever still listens goes before the repository closes. */
  if (self->send_service != NULL)
    g_object_run_dispose (G_OBJECT (self->send_service));

  /* Lets the repository finish what is queued and stop its threads. */
  if (self->context != NULL)
    tc_repository_close (tc_context_get_repository (self->context));
}

static void
tc_application_finalize (GObject *object)
{
  TcApplication *self = (TcApplication *)object;

  g_clear_object (&self->send_service);
  g_clear_object (&self->context);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->db_path, g_free);

  G_OBJECT_CLASS (tc_application_parent_class)->finalize (object);
}

static void
tc_application_class_init (TcApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  GtkApplicationClass *gtk_app_class = GTK_APPLICATION_CLASS (klass);

  gtk_app_class->window_removed = tc_application_window_removed;
  object_class->finalize = tc_application_finalize;

  app_class->handle_local_options = tc_application_handle_local_options;
  app_class->startup = tc_application_startup;
  app_class->activate = tc_application_activate;
  app_class->open = tc_application_open;
  app_class->shutdown = tc_application_shutdown;
}

static void
tc_application_init (TcApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FILE.csv]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Open Textcast, or import a CSV file of contacts."));
}

TcApplication *
tc_application_new (void)
{
  return g_object_new (TC_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", "/io/github/textcast/Textcast",
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       NULL);
}

/**
 * tc_application_get_context:
 *
 * Returns: (transfer none): the workspace's services
 */
TcContext *
tc_application_get_context (TcApplication *self)
{
  g_return_val_if_fail (TC_IS_APPLICATION (self), NULL);

  return self->context;
}

/**
 * tc_application_get_settings:
 *
 * Returns: (transfer none) (nullable): the settings
 */
GSettings *
tc_application_get_settings (TcApplication *self)
{
  g_return_val_if_fail (TC_IS_APPLICATION (self), NULL);

  return self->settings;
}

/**
 * tc_application_get_send_service:
 *
 * Returns: (transfer none): the workspace's sending
 */
TcSendService *
tc_application_get_send_service (TcApplication *self)
{
  g_return_val_if_fail (TC_IS_APPLICATION (self), NULL);

  return self->send_service;
}

/**
 * tc_application_cancel_quit:
 *
 * A window that asked before closing (unsaved changes) was told to stay:
 * a Quit that was waiting for it is off, and closing the window later
 * keeps the app in the background again when there is reason to.
 */
void
tc_application_cancel_quit (TcApplication *self)
{
  g_return_if_fail (TC_IS_APPLICATION (self));

  if (self->quitting && !self->background)
    g_debug ("Quit cancelled");
  self->quitting = FALSE;
}
