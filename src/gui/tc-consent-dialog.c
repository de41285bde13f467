/* tc-consent-dialog.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-consent-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "tc-consent-dialog.h"
#include "tc-consent-ledger.h"
#include "tc-gui-util.h"
#include "tc-repository.h"
#include "tc-window.h"

/* The sources offered, in this order: where a person can give consent.
 * "provider" and "system" are what Textcast itself records. */
static const TcConsentSource offered_sources[] = {
  TC_CONSENT_SOURCE_MANUAL,
  TC_CONSENT_SOURCE_WEB_FORM,
  TC_CONSENT_SOURCE_CHECKOUT,
  TC_CONSENT_SOURCE_KEYWORD,
  TC_CONSENT_SOURCE_QR_CODE,
  TC_CONSENT_SOURCE_IMPORT,
  TC_CONSENT_SOURCE_API,
};

struct _TcConsentDialog
{
  AdwWindow       parent_instance;

  /* Template widgets */
  AdwWindowTitle *window_title;
  GtkWidget      *record_button;
  AdwComboRow    *channel_row;
  AdwComboRow    *purpose_row;
  AdwComboRow    *source_row;
  GtkTextView    *wording_view;
  AdwEntryRow    *origin_row;
  GtkSwitch      *confirmed_switch;
  GtkLabel       *error_label;

  TcRepository   *repository;
  char           *phone;
  gboolean        saving;
};

G_DEFINE_FINAL_TYPE (TcConsentDialog, tc_consent_dialog, ADW_TYPE_WINDOW)

static char *
dup_wording (TcConsentDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->wording_view);
  GtkTextIter start;
  GtkTextIter end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

static void
update_record_button (TcConsentDialog *self)
{
  g_autofree char *wording = dup_wording (self);

  gtk_widget_set_sensitive (self->record_button, !self->saving && wording[0] != '\0');
}

static void
show_error (TcConsentDialog *self,
            const char      *text)
{
  gtk_label_set_text (self->error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
}

static void
set_saving (TcConsentDialog *self,
            gboolean         saving)
{
  self->saving = saving;
  gtk_widget_set_sensitive (GTK_WIDGET (self->channel_row), !saving);
  gtk_widget_set_sensitive (GTK_WIDGET (self->purpose_row), !saving);
  gtk_widget_set_sensitive (GTK_WIDGET (self->source_row), !saving);
  gtk_text_view_set_editable (self->wording_view, !saving);
  gtk_widget_set_sensitive (GTK_WIDGET (self->origin_row), !saving);
  gtk_widget_set_sensitive (GTK_WIDGET (self->confirmed_switch), !saving);
  update_record_button (self);
}

static void
on_recorded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TcConsentDialog) self = user_data;
  g_autoptr(TcConsentOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *parent;

  outcome = tc_consent_ledger_record_finish (TC_REPOSITORY (object), result, &error);
  set_saving (self, FALSE);

  if (outcome == NULL)
    {
      g_autofree char *reason = tc_gui_describe_error (error);
      g_autofree char *text = g_strdup_printf (_("The consent was not recorded. %s"), reason);

      show_error (self, text);
      gtk_widget_grab_focus (GTK_WIDGET (self->wording_view));
      return;
    }

  parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  if (TC_IS_WINDOW (parent))
    {
      if (outcome->event != NULL && tc_consent_get_kind (outcome->event) == TC_CONSENT_EVENT_REQUESTED)
        tc_window_add_toast (TC_WINDOW (parent),
                             _("Confirmation text queued: the consent counts once they reply YES"));
      else
        tc_window_add_toast (TC_WINDOW (parent), _("Consent recorded"));
    }

  gtk_window_close (GTK_WINDOW (self));
}

static void
on_record_button_clicked_cb (TcConsentDialog *self)
{
  g_autofree char *wording = dup_wording (self);
  g_autofree char *origin = NULL;
  TcConsentRequest request = { 0 };
  guint source = adw_combo_row_get_selected (self->source_row);

  if (self->saving || wording[0] == '\0')
    {
      if (wording[0] == '\0')
        {
          show_error (self, _("Type the exact wording the person agreed to: without it the consent cannot be proven."));
          gtk_widget_grab_focus (GTK_WIDGET (self->wording_view));
        }
      return;
    }

  origin = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->origin_row))));

  request.phone = self->phone;
  request.channel = adw_combo_row_get_selected (self->channel_row) == 1 ? TC_CHANNEL_WHATSAPP : TC_CHANNEL_SMS;
  request.purpose = adw_combo_row_get_selected (self->purpose_row) == 1
                    ? TC_PURPOSE_TRANSACTIONAL : TC_PURPOSE_PROMOTIONAL;
  request.kind = TC_CONSENT_EVENT_OPTED_IN;
  request.source = source < G_N_ELEMENTS (offered_sources) ? offered_sources[source] : TC_CONSENT_SOURCE_MANUAL;
  request.wording = wording;
  request.origin = origin[0] != '\0' ? origin : NULL;
  request.confirmed = gtk_switch_get_active (self->confirmed_switch);

  show_error (self, NULL);
  set_saving (self, TRUE);
  /* Not cancelled when the dialog closes: a consent asked for is kept. */
  tc_consent_ledger_record_async (self->repository, &request, NULL,
                                  on_recorded_cb, g_object_ref (self));
}

static void
record_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  on_record_button_clicked_cb (TC_CONSENT_DIALOG (widget));
}

static void
tc_consent_dialog_dispose (GObject *object)
{
  TcConsentDialog *self = (TcConsentDialog *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), TC_TYPE_CONSENT_DIALOG);
  g_clear_object (&self->repository);

  G_OBJECT_CLASS (tc_consent_dialog_parent_class)->dispose (object);
}

static void
tc_consent_dialog_finalize (GObject *object)
{
  TcConsentDialog *self = (TcConsentDialog *)object;

  g_clear_pointer (&self->phone, g_free);

  G_OBJECT_CLASS (tc_consent_dialog_parent_class)->finalize (object);
}

static void
tc_consent_dialog_class_init (TcConsentDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tc_consent_dialog_dispose;
  object_class->finalize = tc_consent_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/textcast/Textcast/tc-consent-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TcConsentDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, TcConsentDialog, record_button);
  gtk_widget_class_bind_template_child (widget_class, TcConsentDialog, channel_row);
  gtk_widget_class_bind_template_child (widget_class, TcConsentDialog, purpose_row);
  gtk_widget_class_bind_template_child (widget_class, TcConsentDialog, source_row);
  gtk_widget_class_bind_template_child (widget_class, TcConsentDialog, wording_view);
  gtk_widget_class_bind_template_child (widget_class, TcConsentDialog, origin_row);
  gtk_widget_class_bind_template_child (widget_class, TcConsentDialog, confirmed_switch);
  gtk_widget_class_bind_template_child (widget_class, TcConsentDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_record_button_clicked_cb);

  gtk_widget_class_install_action (widget_class, "consent.record", NULL, record_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tc_consent_dialog_init (TcConsentDialog *self)
{
  g_autoptr(GtkStringList) sources = gtk_string_list_new (NULL);
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Ctrl+Enter records from anywhere, the wording's text view included,
   * which would otherwise take the key for itself: so in the capture
   * phase. */
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("consent.record")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("consent.record")));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  for (guint i = 0; i < G_N_ELEMENTS (offered_sources); i++)
    gtk_string_list_append (sources, tc_gui_consent_source_name (offered_sources[i]));
  adw_combo_row_set_model (self->source_row, G_LIST_MODEL (sources));
  adw_combo_row_set_selected (self->source_row, 0);

  g_signal_connect_object (gtk_text_view_get_buffer (self->wording_view), "changed",
                           G_CALLBACK (update_record_button), self, G_CONNECT_SWAPPED);

  /* The wording is what matters most, and what people type first. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->wording_view));
}

TcConsentDialog *
tc_consent_dialog_new (GtkWindow    *parent,
                       TcRepository *repository,
                       const char   *phone,
                       const char   *name)
{
  TcConsentDialog *self;
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (phone != NULL, NULL);

  self = g_object_new (TC_TYPE_CONSENT_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->repository = g_object_ref (repository);
  self->phone = g_strdup (phone);

  /* Translators: the subtitle of Record Consent: “For Maria Clara” */
  subtitle = g_strdup_printf (_("For %s"), name != NULL && name[0] != '\0' ? name : phone);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  return self;
}
