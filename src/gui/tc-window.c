/* tc-window.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-window"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tc-campaigns-page.h"
#include "tc-inbox-page.h"
#include "tc-consent-ledger.h"
#include "tc-contact-io.h"
#include "tc-contact-page.h"
#include "tc-contact.h"
#include "tc-contacts-page.h"
#include "tc-context.h"
#include "tc-gui-util.h"
#include "tc-import-dialog.h"
#include "tc-journey-editor.h"
#include "tc-journey-library.h"
#include "tc-preferences-window.h"
#include "tc-readiness-page.h"
#include "tc-repository.h"
#include "tc-sample.h"
#include "tc-sample-journey.h"
#include "tc-send-service.h"
#include "tc-templates-page.h"
#include "tc-toasts.h"
#include "tc-window.h"

#define SAMPLE_CONTACTS 300
#define SAMPLE_SEED     20260301u

struct _TcWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *loading_page;
  AdwStatusPage        *error_page;
  GtkWidget            *retry_button;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar;
  GtkListBox           *sidebar_list;
  GtkListBoxRow        *contacts_row;
  GtkLabel             *contacts_count_label;
  GtkListBoxRow        *templates_row;
  GtkListBoxRow        *campaigns_row;
  GtkListBoxRow        *inbox_row;
  GtkLabel             *inbox_unread_label;
  GtkListBoxRow        *journeys_row;
  GtkListBoxRow        *readiness_row;
  GtkRevealer          *sending_revealer;
  GtkSpinner           *sending_spinner;
  GtkLabel             *sending_label;
  GtkWidget            *content_column;
  GtkStack             *content_stack;
  GtkRevealer          *banner_revealer;
  GtkLabel             *banner_label;
  GtkWidget            *banner_preferences_button;
  TcContactsPage       *contacts_page;
  TcContactPage        *contact_page;
  TcTemplatesPage      *templates_page;
  TcCampaignsPage      *campaigns_page;
  TcInboxPage          *inbox_page;
  TcJourneyEditor      *journeys_page;
  TcReadinessPage      *readiness_page;

  TcContext            *context;
  GSettings            *settings;
  /* Cancelled when the window closes: nothing it started outlives it. */
  GCancellable         *cancellable;
  /* A CSV file to import once the workspace is open. */
  GFile                *pending_import;
  GtkFileChooserNative *export_chooser;
  /* The workspace's sending (the application's): its problems make the
   * banner, its progress the line under the sections. */
  TcSendService        *send_service;
  /* Open Preferences, told about the problem too (weak). */
  TcPreferencesWindow  *preferences;
  /* Appends "expired" to double opt-in requests nobody confirmed in time
   * (their status already reads expired; this puts it in the ledger). */
  guint                 expire_source;

  guint                 sample : 1;
  guint                 opened : 1;
};

G_DEFINE_FINAL_TYPE (TcWindow, tc_window, ADW_TYPE_APPLICATION_WINDOW)

typedef struct
{
  guint n_exported;
} ExportData;

static void open_workspace                    (TcWindow       *self);
static void on_contacts_page_total_changed_cb (TcWindow       *self,
                                               GParamSpec     *pspec,
                                               TcContactsPage *page);

static TcRepository *
get_repository (TcWindow *self)
{
  return tc_context_get_repository (self->context);
}

static void
show_error (TcWindow     *self,
            const GError *error)
{
  g_autofree char *text = tc_gui_describe_error (error);

  adw_status_page_set_description (self->error_page, text);
  /* Trying again helps when another program held the file, not when the
   * file itself is the problem. */
  gtk_widget_set_visible (self->retry_button,
                          !g_error_matches (error, TC_DB_ERROR, TC_DB_ERROR_CORRUPT) &&
                          !g_error_matches (error, TC_DB_ERROR, TC_DB_ERROR_TOO_NEW));
  gtk_stack_set_visible_child_name (self->main_stack, "error");
}

static void
set_workspace_actions_enabled (TcWindow *self,
                               gboolean  enabled)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import", enabled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", enabled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sample", enabled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", enabled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.preferences", enabled);
}

static void
open_import_dialog (TcWindow *self,
                    GFile    *file)
{
  TcImportDialog *dialog;

  dialog = tc_import_dialog_new (GTK_WINDOW (self), get_repository (self), self->settings);

  /* Loading first, so the dialog never shows its "choose a file" state
   * for a file it already has. The file chooser wants a mapped parent. */
  if (file != NULL)
    {
      tc_import_dialog_load_file (dialog, file);
      gtk_window_present (GTK_WINDOW (dialog));
    }
  else
    {
      gtk_window_present (GTK_WINDOW (dialog));
      tc_import_dialog_choose_file (dialog);
    }
}

static void
show_workspace (TcWindow *self)
{
  g_autoptr(GFile) pending = g_steal_pointer (&self->pending_import);

  gtk_stack_set_visible_child_name (self->main_stack, "workspace");
  set_workspace_actions_enabled (self, TRUE);
  on_contacts_page_total_changed_cb (self, NULL, self->contacts_page);
  tc_contacts_page_focus_search (self->contacts_page);

  if (pending != NULL)
    open_import_dialog (self, pending);
}

static void
on_sample_journey_created_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(TcWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 journey_id = 0;
  guint n_enrolled = 0;

  if (!tc_sample_journey_create_finish (TC_REPOSITORY (object), result, &journey_id, &n_enrolled, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_message ("The sample journey could not be created: %s", error->message);
    }
  else
    {
      g_autoptr(TcJourney) journey = tc_journey_library_build (TC_SAMPLE_JOURNEY_NAME, NULL);

      g_debug ("Sample journey %" G_GINT64_FORMAT " switched on with %u shoppers", journey_id, n_enrolled);
      /* Its WhatsApp follow-up is approved on the simulator, as the CLI's sample does. */
      tc_journey_review_templates (TC_REPOSITORY (object), journey);
    }

  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  show_workspace (self);
  tc_window_add_toast (self, _("Added sample contacts — explore, then import your own list"));
  if (error != NULL)
    tc_window_add_toast (self, _("The sample journey could not be switched on — open Journeys to "
                                 "start one from the ready-made ones"));
}

static void
on_sample_created_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(TcWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tc_sample_create_finish (TC_REPOSITORY (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      show_workspace (self);
      tc_window_add_toast (self, _("The sample contacts could not be created"));
      return;
    }

  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  /* The sample comes with a ready-made journey, switched on, with shoppers in it. */
  tc_sample_journey_create_async (TC_REPOSITORY (object), 0, self->cancellable,
                                  on_sample_journey_created_cb, g_object_ref (self));
}

static void
create_sample (TcWindow *self)
{
  set_workspace_actions_enabled (self, FALSE);
  adw_status_page_set_title (self->loading_page, _("Creating Sample Contacts…"));
  adw_status_page_set_description (self->loading_page,
                                   _("A few hundred made-up customers from several countries, with tags and consent records."));
  gtk_stack_set_visible_child_name (self->main_stack, "loading");

  tc_sample_create_async (get_repository (self),
                          SAMPLE_CONTACTS,
                          SAMPLE_SEED,
                          self->cancellable,
                          on_sample_created_cb,
                          g_object_ref (self));
}

static void
on_initial_count_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(TcWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  guint n_contacts = 0;

  if (!tc_repository_count_contacts_finish (TC_REPOSITORY (object), result, &n_contacts, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      return;
    }

  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  if (n_contacts == 0)
    create_sample (self);
  else
    show_workspace (self);
}

/* ------------------------------------------------------------------------
 * Sending
 */

static void
update_preferences_problem (TcWindow *self)
{
  if (self->preferences == NULL)
    return;

  tc_preferences_window_set_problem (self->preferences,
                                     tc_send_service_get_problem_text (self->send_service));
}

static void
update_sending (TcWindow *self)
{
  TcSendProblem problem = tc_send_service_get_problem (self->send_service);
  const char *text = tc_send_service_get_problem_text (self->send_service);
  guint64 n_done = 0, n_total = 0;
  gboolean sending;

  if (problem != TC_SEND_PROBLEM_NONE)
    {
      if (g_strcmp0 (gtk_label_get_text (self->banner_label), text) != 0 ||
          !gtk_revealer_get_reveal_child (self->banner_revealer))
        g_debug ("Banner shown: %s", text);
      gtk_label_set_text (self->banner_label, text);
    }
  else if (gtk_revealer_get_reveal_child (self->banner_revealer))
    g_debug ("Banner hidden");
  gtk_revealer_set_reveal_child (self->banner_revealer, problem != TC_SEND_PROBLEM_NONE);

  sending = tc_send_service_get_progress (self->send_service, &n_done, &n_total);
  if (sending)
    {
      g_autofree char *done = tc_gui_format_number ((guint) MIN (n_done, G_MAXUINT));
      g_autofree char *total = tc_gui_format_number ((guint) MIN (MAX (n_total, n_done), G_MAXUINT));
      g_autofree char *line = NULL;

      /* Translators: "Sending 120 of 500…" */
      line = g_strdup_printf (_("Sending %s of %s…"), done, total);
      if (g_strcmp0 (gtk_label_get_text (self->sending_label), line) != 0 ||
          !gtk_revealer_get_reveal_child (self->sending_revealer))
        g_debug ("Sending line: %s", line);
      gtk_label_set_text (self->sending_label, line);
    }
  else if (gtk_revealer_get_reveal_child (self->sending_revealer))
    g_debug ("Sending line: (hidden)");
  gtk_spinner_set_spinning (self->sending_spinner, sending);
  gtk_revealer_set_reveal_child (self->sending_revealer, sending);

  update_preferences_problem (self);
}

/* Where the banner's first button is, in the window's surface: for the
 * GUI tests, which click it. */
static void
on_banner_revealed_cb (TcWindow    *self,
                       GParamSpec  *pspec,
                       GtkRevealer *revealer)
{
  graphene_point_t center;
  double x = 0, y = 0;

  if (!gtk_revealer_get_child_revealed (revealer))
    return;

  gtk_native_get_surface_transform (GTK_NATIVE (self), &x, &y);
  if (gtk_widget_compute_point (self->banner_preferences_button, GTK_WIDGET (self),
                                &GRAPHENE_POINT_INIT (gtk_widget_get_width (self->banner_preferences_button) / 2.f,
                                                      gtk_widget_get_height (self->banner_preferences_button) / 2.f),
                                &center))
    g_debug ("Banner button Open Preferences at %d,%d", (int) (center.x + x), (int) (center.y + y));
}

static void
on_send_service_changed_cb (TcWindow      *self,
                            TcSendService *service)
{
  update_sending (self);
}

static void
on_send_service_recovered_cb (TcWindow      *self,
                              TcSendService *service)
{
  g_debug ("Sending works again");
  tc_window_add_toast (self, _("The problem is fixed: messages are going out again"));
}

static void
on_credentials_changed_cb (TcWindow            *self,
                           TcPreferencesWindow *preferences)
{
  /* The providers are built with the credentials: build them again. */
  tc_send_service_restart (self->send_service);
}

static void
open_preferences (TcWindow *self,
                  gboolean  providers)
{
  TcProvidersPage *page;

  if (self->preferences != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->preferences));
    }
  else
    {
      self->preferences = tc_preferences_window_new (GTK_WINDOW (self), get_repository (self));
      g_object_add_weak_pointer (G_OBJECT (self->preferences), (gpointer *) &self->preferences);
      g_signal_connect_object (self->preferences, "credentials-changed",
                               G_CALLBACK (on_credentials_changed_cb), self, G_CONNECT_SWAPPED);
      update_preferences_problem (self);
      gtk_window_present (GTK_WINDOW (self->preferences));
    }

  /* The port is on the first page, Messages; the rest on Providers. */
  if (providers && tc_send_service_get_problem (self->send_service) != TC_SEND_PROBLEM_ENDPOINT &&
      (page = tc_preferences_window_get_providers_page (self->preferences)) != NULL)
    {
      adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (self->preferences),
                                               ADW_PREFERENCES_PAGE (page));
      g_debug ("Preferences shown on the Providers page");
    }
}

#define EXPIRE_INTERVAL_SECONDS (15 * 60)

static void
on_consents_expired_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  guint n_expired = 0;

  if (!tc_consent_ledger_expire_finish (TC_REPOSITORY (object), result, &n_expired, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not record expired consent requests: %s", error->message);
      return;
    }

  if (n_expired > 0)
    g_debug ("%u double opt-in requests expired", n_expired);
}

static gboolean
expire_consents_cb (gpointer user_data)
{
  TcWindow *self = user_data;

  tc_consent_ledger_expire_async (get_repository (self), g_get_real_time () / G_USEC_PER_SEC,
                                  self->cancellable, on_consents_expired_cb, NULL);

  return G_SOURCE_CONTINUE;
}

static void
on_repository_opened_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(TcWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tc_repository_open_finish (TC_REPOSITORY (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      return;
    }

  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  self->opened = TRUE;
  /* Sending starts with the workspace; its endpoint also serves the
   * tracked links. */
  tc_send_service_start (self->send_service);
  expire_consents_cb (self);
  self->expire_source = g_timeout_add_seconds (EXPIRE_INTERVAL_SECONDS, expire_consents_cb, self);
  tc_contacts_page_set_repository (self->contacts_page, get_repository (self));
  tc_templates_page_set_repository (self->templates_page, get_repository (self));
  tc_campaigns_page_set_repository (self->campaigns_page, get_repository (self));
  tc_inbox_page_set_repository (self->inbox_page, get_repository (self));
  tc_journey_editor_set_repository (self->journeys_page, get_repository (self));
  tc_readiness_page_set_repository (self->readiness_page, get_repository (self));

  if (self->sample)
    {
      /* Only an empty workspace gets sample data: never mix it into real
       * customers. */
      tc_repository_count_contacts_async (get_repository (self), NULL, NULL,
                                          self->cancellable,
                                          on_initial_count_cb,
                                          g_object_ref (self));
      return;
    }

  show_workspace (self);
}

static void
open_workspace (TcWindow *self)
{
  set_workspace_actions_enabled (self, FALSE);
  adw_status_page_set_title (self->loading_page, _("Opening Your Workspace…"));
  adw_status_page_set_description (self->loading_page, NULL);
  gtk_stack_set_visible_child_name (self->main_stack, "loading");

  tc_repository_open_async (get_repository (self),
                            self->cancellable,
                            on_repository_opened_cb,
                            g_object_ref (self));
}

static void
on_inbox_unread_changed_cb (TcWindow *self)
{
  guint unread = tc_inbox_page_get_unread (self->inbox_page);
  g_autofree char *text = unread > 0 ? tc_gui_format_number (unread) : NULL;
  g_autofree char *tooltip = NULL;

  gtk_label_set_label (self->inbox_unread_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->inbox_unread_label), unread > 0);
  if (unread > 0)
    tooltip = g_strdup_printf (ngettext ("Inbox: %u unread message (Ctrl+4)",
                                         "Inbox: %u unread messages (Ctrl+4)", unread), unread);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->inbox_row), tooltip != NULL ? tooltip : _("Inbox (Ctrl+4)"));
}

/* Opens the Inbox on @contact_id's conversation (from a notification). */
void
tc_window_show_conversation (TcWindow *self,
                             gint64    contact_id)
{
  g_return_if_fail (TC_IS_WINDOW (self));

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "workspace") != 0)
    return;
  gtk_list_box_select_row (self->sidebar_list, self->inbox_row);
  adw_leaflet_set_visible_child (self->leaflet, self->content_column);
  gtk_stack_set_visible_child_name (self->content_stack, "inbox");
  tc_inbox_page_show_conversation (self->inbox_page, contact_id);
}

gboolean
tc_window_shows_conversation (TcWindow *self,
                              gint64    contact_id)
{
  g_return_val_if_fail (TC_IS_WINDOW (self), FALSE);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "inbox") == 0 &&
         tc_inbox_page_get_contact_id (self->inbox_page) == contact_id;
}

static void
update_contacts_count (TcWindow *self)
{
  g_autofree char *text = NULL;

  if (tc_contacts_page_get_total (self->contacts_page) > 0)
    text = tc_gui_format_number (tc_contacts_page_get_total (self->contacts_page));

  gtk_label_set_label (self->contacts_count_label, text ? text : "");
}

static void
on_contacts_page_total_changed_cb (TcWindow       *self,
                                   GParamSpec     *pspec,
                                   TcContactsPage *page)
{
  update_contacts_count (self);

  /* Nothing to export from an empty workspace. */
  if (self->opened)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export",
                                   tc_contacts_page_get_total (page) > 0);
}

static void
on_contacts_page_contact_activated_cb (TcContactsPage *page,
                                       TcContact      *contact,
                                       TcWindow       *self)
{
  g_assert (TC_IS_WINDOW (self));

  tc_contact_page_show (self->contact_page, get_repository (self), tc_contact_get_id (contact));
  gtk_stack_set_visible_child_name (self->content_stack, "contact");
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
on_sidebar_row_activated_cb (GtkListBox    *list,
                             GtkListBoxRow *row,
                             TcWindow      *self)
{
  if (row == self->contacts_row)
    gtk_stack_set_visible_child_name (self->content_stack, "contacts");
  else if (row == self->templates_row)
    gtk_stack_set_visible_child_name (self->content_stack, "templates");
  else if (row == self->campaigns_row)
    gtk_stack_set_visible_child_name (self->content_stack, "campaigns");
  else if (row == self->inbox_row)
    gtk_stack_set_visible_child_name (self->content_stack, "inbox");
  else if (row == self->journeys_row)
    gtk_stack_set_visible_child_name (self->content_stack, "journeys");
  else if (row == self->readiness_row)
    gtk_stack_set_visible_child_name (self->content_stack, "readiness");

  adw_leaflet_set_visible_child (self->leaflet, self->content_column);
}

static void
on_export_stream_closed_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_export_stream_abandoned_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  /* Fails with G_IO_ERROR_CANCELLED by design. */
  g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, NULL);
}

static void
on_contacts_exported_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ExportData *export = g_task_get_task_data (task);
  GOutputStream *stream;
  GError *error = NULL;

  stream = g_object_get_data (G_OBJECT (task), "stream");

  if (!tc_contacts_export_finish (TC_REPOSITORY (object), result, &export->n_exported, &error))
    {
      g_autoptr(GCancellable) abandon = g_cancellable_new ();

      /* Closing with a cancelled cancellable drops the temporary file of
       * a replaced one, so a failed export leaves the old file as it was
       * (a plain close, or finalizing the stream, would commit half a
       * file). */
      g_cancellable_cancel (abandon);
      g_output_stream_close_async (stream, G_PRIORITY_DEFAULT, abandon,
                                   on_export_stream_abandoned_cb, NULL);
      g_task_return_error (task, error);
      return;
    }
  g_output_stream_close_async (stream, G_PRIORITY_DEFAULT,
                               g_task_get_cancellable (task),
                               on_export_stream_closed_cb,
                               g_object_ref (task));
}

static void
on_export_file_replaced_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcWindow *self = g_task_get_source_object (task);
  g_autoptr(GFileOutputStream) stream = NULL;
  GError *error = NULL;

  stream = g_file_replace_finish (G_FILE (object), result, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_object_set_data_full (G_OBJECT (task), "stream", g_object_ref (stream), g_object_unref);
  tc_contacts_export_async (get_repository (self),
                            G_OUTPUT_STREAM (stream),
                            g_task_get_cancellable (task),
                            on_contacts_exported_cb,
                            g_object_ref (task));
}

static void
on_export_finished_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  TcWindow *self = TC_WINDOW (object);
  ExportData *export = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  g_autofree char *title = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      text = tc_gui_describe_error (error);
      title = g_strdup_printf (_("Could not export the contacts: %s"), text);
      tc_window_add_toast (self, title);
      return;
    }

  number = tc_gui_format_number (export->n_exported);
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "Exported %s contact",
                                        "Exported %s contacts",
                                        export->n_exported),
                           number);
  tc_window_add_toast (self, title);
}

static void
export_to_file (TcWindow *self,
                GFile    *file)
{
  g_autoptr(GTask) task = NULL;
  ExportData *export;

  export = g_new0 (ExportData, 1);

  task = g_task_new (self, self->cancellable, on_export_finished_cb, NULL);
  g_task_set_source_tag (task, export_to_file);
  g_task_set_task_data (task, export, g_free);

  g_file_replace_async (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                        G_PRIORITY_DEFAULT, self->cancellable,
                        on_export_file_replaced_cb,
                        g_object_ref (task));
}

static void
on_export_chooser_response_cb (GtkNativeDialog *dialog,
                               int              response,
                               TcWindow        *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

  g_clear_object (&self->export_chooser);

  if (file == NULL)
    return;

  if (self->settings != NULL)
    {
      g_autoptr(GFile) parent = g_file_get_parent (file);
      g_autofree char *folder = parent ? g_file_get_path (parent) : NULL;

      if (folder != NULL)
        g_settings_set_string (self->settings, "last-export-folder", folder);
    }

  export_to_file (self, file);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TcWindow *self = TC_WINDOW (widget);
  g_autoptr(GtkFileFilter) csv_filter = gtk_file_filter_new ();
  g_autofree char *folder = NULL;

  if (self->export_chooser != NULL)
    return;

  self->export_chooser = gtk_file_chooser_native_new (_("Export Contacts"),
                                                      GTK_WINDOW (self),
                                                      GTK_FILE_CHOOSER_ACTION_SAVE,
                                                      _("_Export"),
                                                      _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->export_chooser), TRUE);

  gtk_file_filter_set_name (csv_filter, _("CSV files"));
  gtk_file_filter_add_mime_type (csv_filter, "text/csv");
  gtk_file_filter_add_suffix (csv_filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->export_chooser), csv_filter);

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->export_chooser), "contacts.csv");

  if (self->settings != NULL)
    folder = g_settings_get_string (self->settings, "last-export-folder");
  if (folder != NULL && folder[0] != '\0' && g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GFile) dir = g_file_new_for_path (folder);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->export_chooser), dir, NULL);
    }

  g_signal_connect (self->export_chooser, "response",
                    G_CALLBACK (on_export_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->export_chooser));
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  open_import_dialog (TC_WINDOW (widget), NULL);
}

static void
sample_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TcWindow *self = TC_WINDOW (widget);

  /* Made-up people never go into a workspace with real customers. */
  if (tc_contacts_page_get_total (self->contacts_page) > 0)
    return;

  create_sample (self);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TcWindow *self = TC_WINDOW (widget);

  gtk_stack_set_visible_child_name (self->content_stack, "contacts");
  adw_leaflet_set_visible_child (self->leaflet, self->content_column);
  tc_contacts_page_focus_search (self->contacts_page);
}

static void
show_contacts_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  TcWindow *self = TC_WINDOW (widget);

  gtk_stack_set_visible_child_name (self->content_stack, "contacts");
  tc_contacts_page_focus_list (self->contacts_page);
}

/* Ctrl+1, Ctrl+2: the sections in the order of the sidebar. */
static void
section_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TcWindow *self = TC_WINDOW (widget);
  gboolean templates = g_strcmp0 (action_name, "win.section-templates") == 0;

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "workspace") != 0)
    return;

  if (g_strcmp0 (action_name, "win.section-inbox") == 0)
    {
      gtk_list_box_select_row (self->sidebar_list, self->inbox_row);
      adw_leaflet_set_visible_child (self->leaflet, self->content_column);
      gtk_stack_set_visible_child_name (self->content_stack, "inbox");
      return;
    }

  if (g_strcmp0 (action_name, "win.section-journeys") == 0)
    {
      gtk_list_box_select_row (self->sidebar_list, self->journeys_row);
      adw_leaflet_set_visible_child (self->leaflet, self->content_column);
      gtk_stack_set_visible_child_name (self->content_stack, "journeys");
      tc_journey_editor_present (self->journeys_page);
      return;
    }

  if (g_strcmp0 (action_name, "win.section-readiness") == 0 ||
      g_strcmp0 (action_name, "win.readiness") == 0)
    {
      gtk_list_box_select_row (self->sidebar_list, self->readiness_row);
      adw_leaflet_set_visible_child (self->leaflet, self->content_column);
      gtk_stack_set_visible_child_name (self->content_stack, "readiness");
      return;
    }

  if (g_strcmp0 (action_name, "win.section-campaigns") == 0)
    {
      gtk_list_box_select_row (self->sidebar_list, self->campaigns_row);
      adw_leaflet_set_visible_child (self->leaflet, self->content_column);
      gtk_stack_set_visible_child_name (self->content_stack, "campaigns");
      tc_campaigns_page_show_list (self->campaigns_page);
      return;
    }

  gtk_list_box_select_row (self->sidebar_list, templates ? self->templates_row : self->contacts_row);
  adw_leaflet_set_visible_child (self->leaflet, self->content_column);
  if (templates)
    {
      gtk_stack_set_visible_child_name (self->content_stack, "templates");
      tc_templates_page_show_list (self->templates_page);
    }
  else
    {
      gtk_stack_set_visible_child_name (self->content_stack, "contacts");
      tc_contacts_page_focus_list (self->contacts_page);
    }
}

/* A Fix… button of the Readiness page: open the place it names
 * (tc-readiness.h). Coming back to the window refreshes the page. */
static void
on_readiness_fix_requested_cb (TcWindow   *self,
                               const char *place)
{
  g_debug ("Opening %s for a readiness fix", place);

  if (g_str_has_prefix (place, "preferences:"))
    {
      open_preferences (self, FALSE);
      if (self->preferences != NULL)
        tc_preferences_window_show_page (self->preferences, place + strlen ("preferences:"));
    }
  else if (g_strcmp0 (place, "templates") == 0)
    {
      gtk_list_box_select_row (self->sidebar_list, self->templates_row);
      gtk_stack_set_visible_child_name (self->content_stack, "templates");
      tc_templates_page_show_list (self->templates_page);
    }
  else if (g_strcmp0 (place, "contacts:import") == 0)
    {
      gtk_list_box_select_row (self->sidebar_list, self->contacts_row);
      gtk_stack_set_visible_child_name (self->content_stack, "contacts");
      open_import_dialog (self, NULL);
    }
  else
    g_warning ("No place “%s” to fix a readiness finding in", place);
}

/* Ctrl+comma. */
static void
preferences_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  open_preferences (TC_WINDOW (widget), FALSE);
}

/* The banner's buttons. */
static void
provider_preferences_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  g_debug ("Opening Preferences for the sending problem");
  open_preferences (TC_WINDOW (widget), TRUE);
}

static void
retry_sending_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  TcWindow *self = TC_WINDOW (widget);

  g_debug ("Trying to send again");
  tc_send_service_retry (self->send_service);
}

static void
show_sidebar_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TcWindow *self = TC_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  open_workspace (TC_WINDOW (widget));
}

static void
save_window_state (TcWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (self->settings);
}

static void
restore_window_state (TcWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;

  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");
  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static gboolean
tc_window_close_request (GtkWindow *window)
{
  TcWindow *self = TC_WINDOW (window);

  /* Unsaved changes to a journey: the editor asks, and closes the window
   * itself once answered. */
  if (!tc_journey_editor_confirm_close (self->journeys_page))
    return TRUE;

  save_window_state (self);
  g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (tc_window_parent_class)->close_request (window);
}

/* GtkWindow:application is not a construct property, so the window gets
 * its services once g_object_new() has set it. */
static void
setup (TcWindow      *self,
       TcApplication *app)
{
  self->context = g_object_ref (tc_application_get_context (app));
  self->send_service = g_object_ref (tc_application_get_send_service (app));
  g_signal_connect_object (self->send_service, "changed",
                           G_CALLBACK (on_send_service_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->send_service, "recovered",
                           G_CALLBACK (on_send_service_recovered_cb), self, G_CONNECT_SWAPPED);
  update_sending (self);
  tc_inbox_page_set_send_service (self->inbox_page, self->send_service);
  g_set_object (&self->settings, tc_application_get_settings (app));

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  restore_window_state (self);
  open_workspace (self);
}

static void
tc_window_dispose (GObject *object)
{
  TcWindow *self = (TcWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->expire_source, g_source_remove);
  if (self->export_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->export_chooser));
  g_clear_object (&self->export_chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), TC_TYPE_WINDOW);

  if (self->preferences != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->preferences), (gpointer *) &self->preferences);
  self->preferences = NULL;
  g_clear_object (&self->send_service);
  g_clear_object (&self->context);
  g_clear_object (&self->settings);
  g_clear_object (&self->pending_import);

  G_OBJECT_CLASS (tc_window_parent_class)->dispose (object);
}

static void
tc_window_finalize (GObject *object)
{
  TcWindow *self = (TcWindow *)object;

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (tc_window_parent_class)->finalize (object);
}

static void
tc_window_class_init (TcWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = tc_window_dispose;
  object_class->finalize = tc_window_finalize;

  window_class->close_request = tc_window_close_request;

  g_type_ensure (TC_TYPE_CONTACTS_PAGE);
  g_type_ensure (TC_TYPE_CONTACT_PAGE);
  g_type_ensure (TC_TYPE_TEMPLATES_PAGE);
  g_type_ensure (TC_TYPE_CAMPAIGNS_PAGE);
  g_type_ensure (TC_TYPE_INBOX_PAGE);
  g_type_ensure (TC_TYPE_JOURNEY_EDITOR);
  g_type_ensure (TC_TYPE_READINESS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/textcast/Textcast/tc-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TcWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, contacts_row);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, contacts_count_label);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, templates_row);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, campaigns_row);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, inbox_row);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, inbox_unread_label);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, journeys_row);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, sending_revealer);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, sending_spinner);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, sending_label);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, content_column);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, banner_preferences_button);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, contacts_page);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, contact_page);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, templates_page);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, campaigns_page);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, inbox_page);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, journeys_page);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, readiness_row);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, readiness_page);
  gtk_widget_class_bind_template_callback (widget_class, on_readiness_fix_requested_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_contacts_page_contact_activated_cb);

  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.sample", NULL, sample_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.show-contacts", NULL, show_contacts_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL, show_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.section-contacts", NULL, section_action);
  gtk_widget_class_install_action (widget_class, "win.section-templates", NULL, section_action);
  gtk_widget_class_install_action (widget_class, "win.section-campaigns", NULL, section_action);
  gtk_widget_class_install_action (widget_class, "win.section-inbox", NULL, section_action);
  gtk_widget_class_install_action (widget_class, "win.section-journeys", NULL, section_action);
  gtk_widget_class_install_action (widget_class, "win.section-readiness", NULL, section_action);
  gtk_widget_class_install_action (widget_class, "win.readiness", NULL, section_action);
  gtk_widget_class_install_action (widget_class, "win.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_action);
  gtk_widget_class_install_action (widget_class, "win.provider-preferences", NULL,
                                   provider_preferences_action);
  gtk_widget_class_install_action (widget_class, "win.retry-sending", NULL, retry_sending_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "win.show-contacts", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK,
                                       "win.section-contacts", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_CONTROL_MASK,
                                       "win.section-templates", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_CONTROL_MASK,
                                       "win.section-campaigns", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_CONTROL_MASK,
                                       "win.section-inbox", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_5, GDK_CONTROL_MASK,
                                       "win.section-journeys", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_6, GDK_CONTROL_MASK,
                                       "win.section-readiness", NULL);
}

static void
tc_window_init (TcWindow *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->inbox_page, "notify::unread", G_CALLBACK (on_inbox_unread_changed_cb),
                           self, G_CONNECT_SWAPPED);

  gtk_list_box_select_row (self->sidebar_list, self->contacts_row);
  /* Folded, the window opens on the section rather than on the list of
   * sections; its header has a button back to them. */
  adw_leaflet_set_visible_child (self->leaflet, self->content_column);
  g_signal_connect_object (self->banner_revealer, "notify::child-revealed",
                           G_CALLBACK (on_banner_revealed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->contacts_page, "notify::total",
                           G_CALLBACK (on_contacts_page_total_changed_cb),
                           self, G_CONNECT_SWAPPED);
}

TcWindow *
tc_window_new (TcApplication *application,
               gboolean       sample)
{
  TcWindow *self;

  g_return_val_if_fail (TC_IS_APPLICATION (application), NULL);

  self = g_object_new (TC_TYPE_WINDOW,
                       "application", application,
                       NULL);
  self->sample = !!sample;
  setup (self, application);

  return self;
}

void
tc_window_import_file (TcWindow *self,
                       GFile    *file)
{
  g_return_if_fail (TC_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (!self->opened || g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "workspace") != 0)
    {
      g_set_object (&self->pending_import, file);
      return;
    }

  open_import_dialog (self, file);
}

void
tc_window_add_toast (TcWindow   *self,
                     const char *title)
{
  AdwToast *toast;

  g_return_if_fail (TC_IS_WINDOW (self));
  g_return_if_fail (title != NULL);

  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 5);
  tc_toasts_add (GTK_WIDGET (self->toast_overlay), toast);
}
