/* tc-send-service.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-send-service"

#include "config.h"

#include <glib/gi18n.h>

#include "tc-gui-util.h"
#include "tc-http-server.h"
#include "tc-messaging.h"
#include "tc-journey-runner.h"
#include "tc-providers.h"
#include "tc-repository.h"
#include "tc-send-service.h"
#include "tc-settings.h"

/* Settings saved one after the other (a page saving several rows) make
 * one restart. */
#define RESTART_DELAY_MS 400

typedef enum
{
  STATE_STOPPED,
  STATE_STARTING,
  STATE_RUNNING,
  STATE_STOPPING,
} State;

#define N_CHANNELS (TC_CHANNEL_WHATSAPP + 1)

struct _TcSendService
{
  GObject        parent_instance;

  TcRepository  *repository;
  gint           port_override;

  State          state;
  /* Starting, running or stopping. */
  TcMessaging   *messaging;
  /* Cancels a start that is no longer wanted. */
  GCancellable  *cancellable;
  GCancellable  *journeys_cancellable;  /* the journeys run while sending runs */
  gboolean       journeys_running;      /* until its callback: a stop waits for it */
  /* The tracked links alone, while the providers cannot be built. */
  TcHttpServer  *links_server;
  /* Callers of tc_send_service_stop_async() waiting for the stop. */
  GPtrArray     *stop_tasks;
  guint          restart_source;

  TcSendProblem  problem;
  char          *problem_text;
  /* What the engine said per channel (PROVIDER). */
  char          *channel_problems[N_CHANNELS];

  /* A problem went away: "recovered" once a message gets out. */
  guint64        recovering_sent;

  /* The engine's counters, and where this batch began. */
  guint64        n_sent;
  guint64        n_failed;
  guint64        n_waiting;
  guint64        batch_start;
  /* How many this batch has, as best known: the most seen. */
  guint64        batch_total;

  guint          wanted : 1;
  guint          restart_pending : 1;
  guint          recovering : 1;
  guint          sending : 1;
  guint          connected : 1;
};

G_DEFINE_FINAL_TYPE (TcSendService, tc_send_service, G_TYPE_OBJECT)

static void start_journeys    (TcSendService *self);
static void finish_stop_tasks (TcSendService *self);

/* The journeys run while sending does: one real-time run of the journey
 * runner (tc-journey-runner.h), which enrols contacts on events and walks
 * them through their journeys; what it queues, the engine sends. */
typedef struct
{
  TcSendService  *self;
  TcJourneyClock *clock;
} JourneyRun;

static void
on_journeys_queued_cb (guint    queued,
                       gpointer user_data)
{
  TcSendService *self = user_data;

  g_debug ("Journeys queued %u messages", queued);
  tc_send_service_kick (self);
}

static void
on_journeys_run_done_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  JourneyRun *run = user_data;
  g_autoptr(GError) error = NULL;
  TcJourneyRunTotals totals = { 0, };

  if (!tc_journey_runner_run_finish (TC_REPOSITORY (object), result, &totals, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("The journeys stopped: %s", error->message);
  else
    g_debug ("Journeys stopped: %u enrolled, %u steps, %u messages queued", totals.enrolled,
             totals.steps, totals.queued);
  run->self->journeys_running = FALSE;
  /* Running again (a restart while this one was finishing), or the stop
   * that waited for it is complete now. */
  if (run->self->state == STATE_RUNNING && run->self->wanted)
    start_journeys (run->self);
  else if (run->self->state == STATE_STOPPED && !run->self->wanted)
    finish_stop_tasks (run->self);
  tc_journey_clock_free (run->clock);
  g_object_unref (run->self);
  g_free (run);
}

static void
start_journeys (TcSendService *self)
{
  JourneyRun *run;

  if (self->journeys_running)
    return;

  self->journeys_running = TRUE;
  run = g_new0 (JourneyRun, 1);
  run->self = g_object_ref (self);
  run->clock = tc_journey_clock_new_real ();
  self->journeys_cancellable = g_cancellable_new ();
  g_debug ("Running the journeys");
  tc_journey_runner_run_async (self->repository, run->clock, 0, 0, on_journeys_queued_cb, self,
                               self->journeys_cancellable, on_journeys_run_done_cb, run);
}

static void
stop_journeys (TcSendService *self)
{
  if (self->journeys_cancellable == NULL)
    return;

  g_cancellable_cancel (self->journeys_cancellable);
  g_clear_object (&self->journeys_cancellable);
}

enum {
  SIGNAL_CHANGED,
  SIGNAL_RECOVERED,
  SIGNAL_MESSAGE_RECEIVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void do_start   (TcSendService *self);
static void do_restart (TcSendService *self);

static const char *
channel_label (TcChannel channel)
{
  return channel == TC_CHANNEL_WHATSAPP ? _("WhatsApp") : _("SMS");
}

static void
set_problem (TcSendService *self,
             TcSendProblem  problem,
             const char    *text)
{
  if (self->problem == problem && g_strcmp0 (self->problem_text, text) == 0)
    return;

  if (problem != TC_SEND_PROBLEM_NONE)
    g_debug ("Sending problem: %s", text);
  else if (self->problem != TC_SEND_PROBLEM_NONE)
    g_debug ("The sending problem went away");

  self->problem = problem;
  g_free (self->problem_text);
  self->problem_text = g_strdup (text);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* After a problem is cleared: "recovered" once a message is sent. */
static void
clear_problem (TcSendService *self)
{
  if (self->problem == TC_SEND_PROBLEM_NONE)
    return;

  for (guint c = 0; c < N_CHANNELS; c++)
    g_clear_pointer (&self->channel_problems[c], g_free);
  self->recovering = TRUE;
  self->recovering_sent = self->n_sent;
  set_problem (self, TC_SEND_PROBLEM_NONE, NULL);
}

static void
recovered (TcSendService *self)
{
  if (!self->recovering)
    return;

  self->recovering = FALSE;
  g_signal_emit (self, signals[SIGNAL_RECOVERED], 0);
}

static void
reset_progress (TcSendService *self)
{
  self->n_sent = self->n_failed = self->n_waiting = self->batch_start = self->batch_total = 0;
  self->recovering_sent = 0;
  if (self->sending)
    {
      self->sending = FALSE;
      g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
    }
}

/* ------------------------------------------------------------------------
 * What the engine says
 */

static void
update_provider_problem (TcSendService *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint c = 0; c < N_CHANNELS; c++)
    {
      if (self->channel_problems[c] == NULL)
        continue;
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, self->channel_problems[c]);
    }

  if (text->len > 0)
    set_problem (self, TC_SEND_PROBLEM_PROVIDER, text->str);
}

static void
on_provider_problem_cb (TcEngine      *engine,
                        TcChannel      channel,
                        const char    *message,
                        TcSendService *self)
{
  TcProviders *providers = tc_messaging_get_providers (self->messaging);
  TcProviderKind kind = tc_providers_get_kind (providers, channel);

  if ((guint) channel >= N_CHANNELS)
    return;

  g_free (self->channel_problems[channel]);
  /* Translators: "SMS messages are waiting on Twilio: <what it said>" */
  self->channel_problems[channel] = g_strdup_printf (_("%s messages are waiting on %s: %s"),
                                                     channel_label (channel),
                                                     tc_provider_kind_describe (kind),
                                                     message);
  self->recovering = FALSE;
  self->sending = FALSE;
  update_provider_problem (self);
}

static void
on_progress_cb (TcEngine      *engine,
                guint64        n_sent,
                guint64        n_failed,
                guint64        n_waiting,
                TcSendService *self)
{
  guint64 old_waiting = self->n_waiting;
  gboolean sending;

  self->n_sent = n_sent;
  self->n_failed = n_failed;
  self->n_waiting = n_waiting;

  sending = self->problem != TC_SEND_PROBLEM_PROVIDER &&
            (n_waiting > 0 || tc_engine_get_n_in_flight (engine) > 0);
  if (sending && !self->sending)
    {
      g_debug ("Sending: %" G_GUINT64_FORMAT " sent, %" G_GUINT64_FORMAT " failed, %"
               G_GUINT64_FORMAT " waiting", n_sent, n_failed, n_waiting);
      self->batch_total = n_waiting + tc_engine_get_n_in_flight (engine);
    }
  /* The number waiting is counted when rows are claimed; between claims
   * it is as old as the last one, while sent and failed move on: only a
   * new count says more about the total. */
  else if (sending && n_waiting != old_waiting && n_sent + n_failed >= self->batch_start)
    self->batch_total = MAX (self->batch_total, n_sent + n_failed - self->batch_start + n_waiting +
                                                tc_engine_get_n_in_flight (engine));
  self->sending = sending;

  if (self->recovering && n_sent > self->recovering_sent)
    recovered (self);

  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
on_inbound_cb (TcEngine      *engine,
               gint64         contact_id,
               gint64         inbound_id,
               const char    *action,
               TcSendService *self)
{
  g_debug ("Message %" G_GINT64_FORMAT " received from contact %" G_GINT64_FORMAT " (%s)",
           inbound_id, contact_id, action);
  g_signal_emit (self, signals[SIGNAL_MESSAGE_RECEIVED], 0, contact_id, inbound_id, action);
}

static void
on_idle_cb (TcEngine      *engine,
            TcSendService *self)
{
  TcProviders *providers = tc_messaging_get_providers (self->messaging);
  g_autoptr(GString) channels = g_string_new (NULL);
  g_autofree char *text = NULL;

  self->sending = FALSE;
  self->batch_start = self->n_sent + self->n_failed;
  self->batch_total = 0;

  /* Due rows the engine left alone: a stopped channel (the banner says
   * so already), or a channel with no sender to send them from. */
  if (self->n_waiting > 0 && self->problem != TC_SEND_PROBLEM_PROVIDER)
    {
      for (guint c = 0; c < N_CHANNELS; c++)
        if (tc_providers_get_sender (providers, c) == NULL)
          {
            if (channels->len > 0)
              /* Translators: between channel names: "SMS and WhatsApp" */
              g_string_append (channels, _(" and "));
            g_string_append (channels, channel_label (c));
          }
    }

  if (channels->len > 0)
    {
      g_autofree char *number = tc_gui_format_number ((guint) MIN (self->n_waiting, G_MAXUINT));

      /* Translators: "3 messages are waiting: no sender is set for WhatsApp. …" */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%s message is waiting: no sender is set for %s. "
                                           "Set the number to send from in Preferences → Providers.",
                                           "%s messages are waiting: no sender is set for %s. "
                                           "Set the number to send from in Preferences → Providers.",
                                           (gulong) MIN (self->n_waiting, G_MAXULONG)),
                              number, channels->str);
      set_problem (self, TC_SEND_PROBLEM_NO_SENDER, text);
    }
  else if (self->problem == TC_SEND_PROBLEM_NO_SENDER)
    clear_problem (self);

  if (self->n_waiting == 0)
    recovered (self);

  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* ------------------------------------------------------------------------
 * Starting and stopping
 */

static void
finish_stop_tasks (TcSendService *self)
{
  g_autoptr(GPtrArray) tasks = g_steal_pointer (&self->stop_tasks);

  self->stop_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < tasks->len; i++)
    g_task_return_boolean (g_ptr_array_index (tasks, i), TRUE);
}

/* What to do once a start or a stop has finished. */
static void
settle (TcSendService *self)
{
  if (!self->wanted)
    {
      if (self->state == STATE_RUNNING)
        do_restart (self);              /* stops; wanted is FALSE */
      else if (self->state == STATE_STOPPED && !self->journeys_running)
        finish_stop_tasks (self);
      return;
    }

  if (self->restart_pending)
    {
      self->restart_pending = FALSE;
      do_restart (self);
    }
}

static void
on_links_server_started_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(TcSendService) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tc_http_server_start_finish (TC_HTTP_SERVER (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Tracked links are not served: %s", error->message);
      return;
    }

  g_debug ("Tracked links served on %s:%u (sending is off)",
           tc_http_server_get_address (TC_HTTP_SERVER (object)),
           tc_http_server_get_port (TC_HTTP_SERVER (object)));
}

static void
stop_links_server (TcSendService *self)
{
  if (self->links_server == NULL)
    return;

  tc_http_server_stop (self->links_server);
  g_clear_object (&self->links_server);
}

typedef struct
{
  TcSendService *self;
  char          *detail;
} PortLookup;

static void
on_port_setting_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  PortLookup *lookup = user_data;
  g_autoptr(TcSendService) self = lookup->self;
  g_autofree char *detail = lookup->detail;
  g_autofree char *value = NULL;
  g_autofree char *text = NULL;
  g_autofree char *port = NULL;

  g_free (lookup);
  value = tc_settings_get_finish (TC_REPOSITORY (object), result, NULL);
  /* Started meanwhile (a retry, a new port). */
  if (self->state != STATE_STOPPED)
    return;

  if (self->port_override > 0)
    port = g_strdup_printf ("%d", self->port_override);
  else if (self->port_override < 0)
    port = g_strdup (value != NULL && value[0] != '\0' ? value
                     : G_STRINGIFY (TC_HTTP_SERVER_DEFAULT_PORT));

  /* Sending needs the port too: the simulator's reports and the replies
   * come back through it. */
  if (port != NULL && self->port_override > 0)
    text = g_strdup_printf (_("Port %s (from TEXTCAST_HTTP_PORT) is used by another program — "
                              "choose another one. Until then no messages are sent, since "
                              "delivery reports and replies come back through this port, and "
                              "clicks on links are not counted."), port);
  else if (port != NULL)
    text = g_strdup_printf (_("Port %s is used by another program — choose another port in "
                              "Preferences → Messages. Until then no messages are sent, since "
                              "delivery reports and replies come back through this port, and "
                              "clicks on links are not counted."), port);
  else
    text = g_strdup_printf (_("Textcast could not open its HTTP endpoint (%s). Until it can, no "
                              "messages are sent and clicks on links are not counted."), detail);
  set_problem (self, TC_SEND_PROBLEM_ENDPOINT, text);
}

static void
endpoint_failed (TcSendService *self,
                 const GError  *error)
{
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
    {
      PortLookup *lookup = g_new0 (PortLookup, 1);

      /* Said once the port setting is read, with its number. */
      lookup->self = g_object_ref (self);
      lookup->detail = g_strdup (error->message);
      tc_settings_get_async (self->repository, TC_SETTING_HTTP_PORT, NULL, on_port_setting_cb,
                             lookup);
      return;
    }

  /* The simulator needs the endpoint to report deliveries, the providers
   * to report them without a public URL: nothing is sent without it. */
  text = g_strdup_printf (_("Textcast could not open its HTTP endpoint, so no messages are sent "
                            "and clicks on links are not counted: %s. Check the port and the "
                            "address in Preferences → Messages."), error->message);
  set_problem (self, TC_SEND_PROBLEM_ENDPOINT, text);
}

static void
on_messaging_started_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(TcSendService) self = user_data;
  TcMessaging *messaging = TC_MESSAGING (object);
  g_autoptr(GError) error = NULL;
  TcHttpServer *server;
  TcEngine *engine;

  if (!tc_messaging_start_finish (messaging, result, &error))
    {
      g_clear_object (&self->messaging);
      self->state = STATE_STOPPED;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          settle (self);
          return;
        }

      g_message ("Sending is off: %s", error->message);
      /* Listening fails with a GIO error, a bad port setting with a
       * number-parser one; the rest is about the providers. */
      if (error->domain != G_IO_ERROR && error->domain != G_NUMBER_PARSER_ERROR)
        {
          g_autofree char *text = NULL;

          text = g_strdup_printf (_("Messages are not being sent: %s"), error->message);
          set_problem (self, TC_SEND_PROBLEM_SETTINGS, text);

          /* The links still work without the providers. */
          if (self->wanted && !self->restart_pending)
            {
              self->links_server = tc_http_server_new (self->repository);
              tc_http_server_start_async (self->links_server, self->port_override,
                                          self->cancellable, on_links_server_started_cb,
                                          g_object_ref (self));
            }
        }
      else
        endpoint_failed (self, error);

      settle (self);
      return;
    }

  self->state = STATE_RUNNING;
  server = tc_messaging_get_http_server (messaging);
  engine = tc_messaging_get_engine (messaging);
  g_debug ("Sending; the HTTP endpoint listens on %s:%u",
           tc_http_server_get_address (server), tc_http_server_get_port (server));

  g_signal_connect_object (engine, "provider-problem", G_CALLBACK (on_provider_problem_cb), self, 0);
  g_signal_connect_object (engine, "progress", G_CALLBACK (on_progress_cb), self, 0);
  g_signal_connect_object (engine, "idle", G_CALLBACK (on_idle_cb), self, 0);
  g_signal_connect_object (engine, "inbound", G_CALLBACK (on_inbound_cb), self, 0);
  start_journeys (self);

  if (self->problem == TC_SEND_PROBLEM_SETTINGS || self->problem == TC_SEND_PROBLEM_ENDPOINT)
    {
      clear_problem (self);
      /* Starting was the fix. */
      recovered (self);
    }

  settle (self);
}

static void
do_start (TcSendService *self)
{
  g_assert (self->state == STATE_STOPPED);

  stop_links_server (self);
  reset_progress (self);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->messaging = tc_messaging_new (self->repository);
  self->state = STATE_STARTING;
  tc_messaging_start_async (self->messaging, self->port_override, self->cancellable,
                            on_messaging_started_cb, g_object_ref (self));
}

static void
on_messaging_stopped_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(TcSendService) self = user_data;
  g_autoptr(GError) error = NULL;
  TcEngine *engine;

  if (!tc_messaging_stop_finish (TC_MESSAGING (object), result, &error))
    g_warning ("Sending did not stop cleanly: %s", error->message);

  engine = tc_messaging_get_engine (TC_MESSAGING (object));
  if (engine != NULL)
    g_signal_handlers_disconnect_by_data (engine, self);
  g_clear_object (&self->messaging);
  self->state = STATE_STOPPED;
  g_debug ("Sending stopped");

  if (self->wanted)
    {
      self->restart_pending = FALSE;
      do_start (self);
      return;
    }

  reset_progress (self);
  settle (self);
}

/* Stops what runs; starts again afterwards when wanted. */
static void
do_restart (TcSendService *self)
{
  switch (self->state)
    {
    case STATE_STOPPED:
      stop_links_server (self);
      if (self->wanted)
        do_start (self);
      else
        settle (self);
      break;

    case STATE_STARTING:
    case STATE_STOPPING:
      self->restart_pending = TRUE;
      break;

    case STATE_RUNNING:
    default:
      self->state = STATE_STOPPING;
      stop_journeys (self);
      /* A new engine has no stopped channel: it tries again, and says
       * so if the problem is still there. */
      if (self->problem == TC_SEND_PROBLEM_PROVIDER && self->wanted)
        clear_problem (self);
      tc_messaging_stop_async (self->messaging, on_messaging_stopped_cb, g_object_ref (self));
      break;
    }
}

static gboolean
on_restart_timeout_cb (gpointer user_data)
{
  TcSendService *self = user_data;

  self->restart_source = 0;
  tc_send_service_restart (self);

  return G_SOURCE_REMOVE;
}

static void
on_settings_changed_cb (TcRepository  *repository,
                        const char    *key,
                        TcSendService *self)
{
  static const char * const prefixes[] = { "provider.", "twilio.", "whatsapp.", "http." };

  if (!self->wanted)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (key != NULL && g_str_has_prefix (key, prefixes[i]))
      {
        g_clear_handle_id (&self->restart_source, g_source_remove);
        self->restart_source = g_timeout_add (RESTART_DELAY_MS, on_restart_timeout_cb, self);
        return;
      }
}

void
tc_send_service_start (TcSendService *self)
{
  g_return_if_fail (TC_IS_SEND_SERVICE (self));

  if (!self->connected)
    {
      self->connected = TRUE;
      g_signal_connect_object (self->repository, "settings-changed",
                               G_CALLBACK (on_settings_changed_cb), self, 0);
    }

  if (self->wanted)
    return;

  self->wanted = TRUE;
  if (self->state == STATE_STOPPED)
    do_start (self);
  else
    self->restart_pending = TRUE;
}

void
tc_send_service_restart (TcSendService *self)
{
  g_return_if_fail (TC_IS_SEND_SERVICE (self));

  g_clear_handle_id (&self->restart_source, g_source_remove);
  if (!self->wanted)
    return;

  do_restart (self);
}

void
tc_send_service_kick (TcSendService *self)
{
  g_return_if_fail (TC_IS_SEND_SERVICE (self));

  if (self->state == STATE_RUNNING && tc_messaging_get_engine (self->messaging) != NULL)
    tc_engine_kick (tc_messaging_get_engine (self->messaging));
}

void
tc_send_service_retry (TcSendService *self)
{
  TcEngine *engine;

  g_return_if_fail (TC_IS_SEND_SERVICE (self));

  if (!self->wanted)
    return;

  engine = self->state == STATE_RUNNING ? tc_messaging_get_engine (self->messaging) : NULL;
  if (self->problem == TC_SEND_PROBLEM_PROVIDER && engine != NULL)
    {
      clear_problem (self);
      tc_engine_resume (engine);
      return;
    }

  /* A setting, a credential or the port: read them all again. */
  tc_send_service_restart (self);
}

void
tc_send_service_stop_async (TcSendService       *self,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TC_IS_SEND_SERVICE (self));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, tc_send_service_stop_async);

  self->wanted = FALSE;
  self->restart_pending = FALSE;
  g_clear_handle_id (&self->restart_source, g_source_remove);
  stop_links_server (self);
  g_ptr_array_add (self->stop_tasks, g_steal_pointer (&task));

  switch (self->state)
    {
    case STATE_STOPPED:
      settle (self);
      break;
    case STATE_STARTING:
      /* Fails as cancelled, or succeeds and is stopped right away. */
      g_cancellable_cancel (self->cancellable);
      break;
    case STATE_RUNNING:
      do_restart (self);
      break;
    case STATE_STOPPING:
    default:
      break;
    }
}

gboolean
tc_send_service_stop_finish (TcSendService  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (TC_IS_SEND_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

TcSendProblem
tc_send_service_get_problem (TcSendService *self)
{
  g_return_val_if_fail (TC_IS_SEND_SERVICE (self), TC_SEND_PROBLEM_NONE);

  return self->problem;
}

const char *
tc_send_service_get_problem_text (TcSendService *self)
{
  g_return_val_if_fail (TC_IS_SEND_SERVICE (self), NULL);

  return self->problem_text;
}

gboolean
tc_send_service_get_progress (TcSendService *self,
                              guint64       *n_done,
                              guint64       *n_total)
{
  guint64 done;

  g_return_val_if_fail (TC_IS_SEND_SERVICE (self), FALSE);

  done = self->n_sent + self->n_failed >= self->batch_start
         ? self->n_sent + self->n_failed - self->batch_start : 0;
  if (n_done != NULL)
    *n_done = done;
  if (n_total != NULL)
    *n_total = MAX (self->batch_total, done);

  return self->sending;
}

guint
tc_send_service_get_port (TcSendService *self)
{
  g_return_val_if_fail (TC_IS_SEND_SERVICE (self), 0);

  if (self->state == STATE_RUNNING)
    return tc_http_server_get_port (tc_messaging_get_http_server (self->messaging));
  if (self->links_server != NULL)
    return tc_http_server_get_port (self->links_server);

  return 0;
}

/* ------------------------------------------------------------------------
 * GObject
 */

static void
tc_send_service_dispose (GObject *object)
{
  TcSendService *self = TC_SEND_SERVICE (object);

  self->wanted = FALSE;
  stop_journeys (self);
  g_clear_handle_id (&self->restart_source, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->messaging != NULL && tc_messaging_get_engine (self->messaging) != NULL)
    g_signal_handlers_disconnect_by_data (tc_messaging_get_engine (self->messaging), self);
  g_clear_object (&self->messaging);
  stop_links_server (self);
  g_clear_object (&self->repository);
  self->state = STATE_STOPPED;
  /* Nothing listens or sends any more. */
  if (self->stop_tasks != NULL && self->stop_tasks->len > 0)
    finish_stop_tasks (self);

  G_OBJECT_CLASS (tc_send_service_parent_class)->dispose (object);
}

static void
tc_send_service_finalize (GObject *object)
{
  TcSendService *self = TC_SEND_SERVICE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->stop_tasks, g_ptr_array_unref);
  g_clear_pointer (&self->problem_text, g_free);
  for (guint c = 0; c < N_CHANNELS; c++)
    g_clear_pointer (&self->channel_problems[c], g_free);

  G_OBJECT_CLASS (tc_send_service_parent_class)->finalize (object);
}

static void
tc_send_service_class_init (TcSendServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tc_send_service_dispose;
  object_class->finalize = tc_send_service_finalize;

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGNAL_RECOVERED] =
    g_signal_new ("recovered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /* A message came in and was recorded: (contact id, inbound message id,
   * action: "message", "opt_out", "opt_in", "help", "keyword"). */
  signals[SIGNAL_MESSAGE_RECEIVED] =
    g_signal_new ("message-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
tc_send_service_init (TcSendService *self)
{
  self->stop_tasks = g_ptr_array_new_with_free_func (g_object_unref);
}

TcSendService *
tc_send_service_new (TcRepository *repository,
                     gint          port_override)
{
  TcSendService *self;

  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (port_override <= 65535, NULL);

  self = g_object_new (TC_TYPE_SEND_SERVICE, NULL);
  self->repository = g_object_ref (repository);
  self->port_override = port_override;

  return self;
}
