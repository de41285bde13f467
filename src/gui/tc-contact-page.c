/* tc-contact-page.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-contact-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "tc-consent-dialog.h"
#include "tc-consent-ledger.h"
#include "tc-consent.h"
#include "tc-contact-page.h"
#include "tc-contact.h"
#include "tc-gui-util.h"
#include "tc-phone.h"
#include "tc-privacy.h"
#include "tc-repository.h"
#include "tc-window.h"

struct _TcContactPage
{
  GtkWidget            parent_instance;

  /* Template widgets */
  AdwWindowTitle      *window_title;
  GtkStack            *stack;
  GtkSpinner          *spinner;
  AdwStatusPage       *error_page;
  GtkScrolledWindow   *scrolled_window;
  AdwClamp            *clamp;

  /* Filled when the phone details and the consent records arrive. */
  GtkLabel            *type_label;
  GtkLabel            *location_label;
  GtkLabel            *timezones_label;
  /* The consent overview and its history, rebuilt on every change. */
  GtkBox              *consent_box;

  TcRepository        *repository;
  TcContact           *contact;
  /* Cancelled when another contact is shown or the page goes away. */
  GCancellable        *cancellable;
  /* Cancelled when a newer load of the consent report replaces it. */
  GCancellable        *consent_cancellable;
  GtkFileChooserNative *export_chooser;
  gulong               changed_handler;
  guint                reload_source;
  /* Ids of the history rows open, kept open when the history reloads. */
  GHashTable          *expanded_events;
  gboolean             erased;
};

G_DEFINE_FINAL_TYPE (TcContactPage, tc_contact_page, GTK_TYPE_WIDGET)

static void
parse_phone_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  const char *e164 = task_data;
  GError *error = NULL;
  TcPhoneInfo *info;

  info = tc_phone_parse (e164, NULL, TC_PHONE_PARSE_ALL, &error);
  if (info == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, info, (GDestroyNotify) tc_phone_info_free);
}

/* libphonenumber's geocoder and the time-zone lookup read data files:
 * quick, but not something to do on the GUI thread. */
static void
parse_phone_async (TcContactPage       *self,
                   const char          *e164,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, parse_phone_async);
  g_task_set_task_data (task, g_strdup (e164), g_free);
  g_task_run_in_thread (task, parse_phone_thread);
}

static TcPhoneInfo *
parse_phone_finish (TcContactPage  *self,
                    GAsyncResult   *result,
                    GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static const char *
phone_type_name (TcPhoneType type)
{
  switch (type)
    {
    case TC_PHONE_TYPE_FIXED_LINE:
      return _("Landline");
    case TC_PHONE_TYPE_MOBILE:
      return _("Mobile");
    case TC_PHONE_TYPE_FIXED_LINE_OR_MOBILE:
      return _("Landline or mobile");
    case TC_PHONE_TYPE_TOLL_FREE:
      return _("Toll-free");
    case TC_PHONE_TYPE_PREMIUM_RATE:
      return _("Premium rate");
    case TC_PHONE_TYPE_SHARED_COST:
      return _("Shared cost");
    case TC_PHONE_TYPE_VOIP:
      return _("Internet (VoIP)");
    case TC_PHONE_TYPE_PERSONAL_NUMBER:
      return _("Personal number");
    case TC_PHONE_TYPE_PAGER:
      return _("Pager");
    case TC_PHONE_TYPE_UAN:
      return _("Company number");
    case TC_PHONE_TYPE_VOICEMAIL:
      return _("Voicemail");
    case TC_PHONE_TYPE_UNKNOWN:
    default:
      return _("Unknown");
    }
}

static void
set_value (GtkLabel   *label,
           const char *value)
{
  if (value != NULL && value[0] != '\0')
    {
      gtk_label_set_label (label, value);
      gtk_widget_set_tooltip_text (GTK_WIDGET (label), value);
      gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
    }
  else
    {
      gtk_label_set_label (label, _("Not given"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (label), NULL);
      gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
    }
}

static GtkLabel *
add_field_row (AdwPreferencesGroup *group,
               const char          *title,
               const char          *value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (NULL);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);

  /* Values stay on one line (the full text is in the tooltip when the
   * row is too narrow); a wrapping label would ask for its minimum width
   * and break every value into syllables. */
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  /* Selectable for copying with the mouse, but not a stop for Tab. */
  gtk_widget_set_focusable (label, FALSE);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (label), 1.0f);
  gtk_widget_set_hexpand (label, TRUE);
  set_value (GTK_LABEL (label), value);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_preferences_group_add (group, row);

  return GTK_LABEL (label);
}

static AdwPreferencesGroup *
add_group (GtkBox     *box,
           const char *title,
           const char *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  gtk_box_append (box, group);

  return ADW_PREFERENCES_GROUP (group);
}

static GtkWidget *
build_header (TcContactPage *self)
{
  g_autofree char *name = tc_contact_dup_display_name (self->contact);
  g_autofree char *formatted_phone = NULL;
  const char * const *tags = tc_contact_get_tags (self->contact);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *avatar;
  GtkWidget *label;

  avatar = adw_avatar_new (80, name, TRUE);
  gtk_widget_set_valign (avatar, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (header), avatar);

  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (header), text);

  label = gtk_label_new (name);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "title-1");
  gtk_box_append (GTK_BOX (text), label);

  formatted_phone = tc_phone_format_international (tc_contact_get_phone (self->contact));
  label = gtk_label_new (formatted_phone);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_widget_add_css_class (label, "title-4");
  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (text), label);

  if (tags != NULL && tags[0] != NULL)
    {
      GtkWidget *flow = gtk_flow_box_new ();

      gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
      /* Ask for a line wide enough for the first few pills, so that the
       * box does not settle on its narrowest shape: one pill a line. */
      gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (flow), MIN (g_strv_length ((char **) tags), 4));
      gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 12);
      gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 6);
      gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 6);
      gtk_widget_set_margin_top (flow, 6);
      gtk_widget_set_halign (flow, GTK_ALIGN_START);
      gtk_accessible_update_property (GTK_ACCESSIBLE (flow),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Tags"),
                                      -1);

      for (guint i = 0; tags[i] != NULL; i++)
        {
          GtkWidget *pill = gtk_label_new (tags[i]);

          gtk_widget_add_css_class (pill, "tag-pill");
          gtk_widget_set_halign (pill, GTK_ALIGN_START);
          gtk_flow_box_append (GTK_FLOW_BOX (flow), pill);
          gtk_widget_set_can_focus (gtk_widget_get_parent (pill), FALSE);
        }

      gtk_box_append (GTK_BOX (text), flow);
    }

  return header;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

static void
show_toast (TcContactPage *self,
            const char    *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (TC_IS_WINDOW (root))
    tc_window_add_toast (TC_WINDOW (root), text);
  else
    g_message ("%s", text);
}

static GtkWindow *
parent_window (TcContactPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* A badge in the colour of @status: ✓, ✗, … */
static GtkWidget *
status_badge (TcConsentStatus status)
{
  GtkWidget *badge = gtk_label_new (tc_gui_consent_status_symbol (status));

  gtk_widget_add_css_class (badge, "consent-badge");
  gtk_widget_add_css_class (badge, tc_gui_consent_status_css_class (status));
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (badge, tc_gui_consent_status_name (status));

  return badge;
}

/* “SMS · Promotional” */
static char *
pair_title (TcChannel channel,
            TcPurpose purpose)
{
  /* Translators: a channel and a purpose, “SMS · Promotional” */
  return g_strdup_printf (_("%s · %s"), tc_gui_channel_name (channel), tc_gui_purpose_name (purpose));
}

/* One piece of evidence in the timeline: a small title over a value that
 * wraps and can be selected (to copy the wording into a reply to a
 * regulator, say). */
static GtkWidget *
evidence_row (const char *title,
              const char *value,
              gboolean    quoted)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label;
  g_autofree char *text = NULL;

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (box), label);

  if (value != NULL && value[0] != '\0')
    /* Translators: the exact wording a person agreed to, in quotes */
    text = quoted ? g_strdup_printf (_("“%s”"), value) : g_strdup (value);

  label = gtk_label_new (text != NULL ? text : _("Not recorded"));
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  /* Selectable with the mouse, but not a stop for Tab. */
  gtk_widget_set_focusable (label, FALSE);
  if (text == NULL)
    gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (box), label);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  return row;
}

static char *
format_time (GDateTime *datetime)
{
  return datetime != NULL ? tc_gui_format_datetime (datetime) : NULL;
}

static void
on_event_row_expanded_cb (AdwExpanderRow *row,
                          GParamSpec     *pspec,
                          TcContactPage  *self)
{
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (row), "event-id");

  if (adw_expander_row_get_expanded (row))
    g_hash_table_add (self->expanded_events, g_memdup2 (&id, sizeof id));
  else
    g_hash_table_remove (self->expanded_events, &id);
}

static GtkWidget *
build_event_row (TcContactPage *self,
                 TcConsent     *event)
{
  gint64 id = tc_consent_get_id (event);
  TcConsentStatus status = tc_consent_get_status (event);
  TcConsentSource source = tc_consent_get_source (event);
  g_autofree char *pair = pair_title (tc_consent_get_channel (event), tc_consent_get_purpose (event));
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *occurred = format_time (tc_consent_get_occurred_at (event));
  g_autofree char *recorded = format_time (tc_consent_get_recorded_at (event));
  g_autofree char *expires = format_time (tc_consent_get_expires_at (event));
  GtkWidget *row;

  /* Translators: what happened, then the channel and purpose: “Opted in — SMS · Promotional” */
  title = g_strdup_printf (_("%s — %s"), tc_gui_consent_event_kind_name (tc_consent_get_kind (event)), pair);
  /* Translators: when it happened, and the source: “3 March 2026, 14:05 · Web form” */
  subtitle = g_strdup_printf (_("%s · %s"), occurred != NULL ? occurred : "", tc_gui_consent_source_name (source));

  row = adw_expander_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), status_badge (status));

  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                            evidence_row (_("Exact wording shown to the person"),
                                          tc_consent_get_wording (event), TRUE));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                            evidence_row (_("Source"), tc_gui_consent_source_name (source), FALSE));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                            evidence_row (_("From where"), tc_consent_get_origin (event), FALSE));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                            evidence_row (_("When it happened"), occurred, FALSE));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                            evidence_row (_("When Textcast recorded it"), recorded, FALSE));
  if (expires != NULL)
    adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                              evidence_row (_("Confirmation due by"), expires, FALSE));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                            evidence_row (_("Method"),
                                          tc_consent_get_method (event) == TC_CONSENT_METHOD_DOUBLE
                                          ? _("Double opt-in: confirmed with a second step")
                                          : _("Single opt-in: one action, such as a ticked box"),
                                          FALSE));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                            evidence_row (_("Status afterwards"), tc_gui_consent_status_name (status), FALSE));

  g_object_set_data_full (G_OBJECT (row), "event-id", g_memdup2 (&id, sizeof id), g_free);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), g_hash_table_contains (self->expanded_events, &id));
  g_signal_connect_object (row, "notify::expanded", G_CALLBACK (on_event_row_expanded_cb), self, 0);

  return row;
}

static void
on_revoke_recorded_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(TcContactPage) self = user_data;
  g_autoptr(TcConsentOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;

  outcome = tc_consent_ledger_record_finish (TC_REPOSITORY (object), result, &error);
  if (outcome == NULL)
    {
      g_autofree char *reason = NULL;
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      reason = tc_gui_describe_error (error);
      text = g_strdup_printf (_("Could not revoke the consent: %s"), reason);
      show_toast (self, text);
      return;
    }

  show_toast (self, _("Consent revoked"));
}

static void
on_revoke_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       TcContactPage    *self)
{
  TcConsentRequest request = { 0 };

  if (g_strcmp0 (response, "revoke") != 0 || self->contact == NULL || self->repository == NULL)
    return;

  request.phone = tc_contact_get_phone (self->contact);
  request.channel = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "channel"));
  request.purpose = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "purpose"));
  request.kind = TC_CONSENT_EVENT_OPTED_OUT;
  request.source = TC_CONSENT_SOURCE_MANUAL;

  /* Not cancelled with the page: a revocation asked for is carried out. */
  tc_consent_ledger_record_async (self->repository, &request, NULL,
                                  on_revoke_recorded_cb, g_object_ref (self));
}

static void
on_revoke_clicked_cb (GtkButton     *button,
                      TcContactPage *self)
{
  TcChannel channel = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "channel"));
  TcPurpose purpose = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "purpose"));
  g_autofree char *name = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (self->contact == NULL)
    return;

  name = tc_contact_dup_display_name (self->contact);
  /* Translators: “Revoke Promotional SMS?”; the first %s is a purpose, the second a channel */
  heading = g_strdup_printf (_("Revoke %s %s?"), tc_gui_purpose_name (purpose), tc_gui_channel_name (channel));
  /* Translators: “No more promotional SMS go to Maria Clara. …” */
  body = g_strdup_printf (_("No more %s %s go to %s. This is recorded as an opt-out by hand; "
                            "the earlier consent stays in the history as proof."),
                          tc_gui_purpose_adjective (purpose), tc_gui_channel_name (channel), name);

  dialog = adw_message_dialog_new (parent_window (self), heading, body);
  gtk_window_set_title (GTK_WINDOW (dialog), heading);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "revoke", _("_Revoke"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "revoke",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "channel", GINT_TO_POINTER (channel));
  g_object_set_data (G_OBJECT (dialog), "purpose", GINT_TO_POINTER (purpose));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_revoke_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_record_clicked_cb (GtkButton     *button,
                      TcContactPage *self)
{
  g_autofree char *name = NULL;
  TcConsentDialog *dialog;

  if (self->contact == NULL || self->repository == NULL)
    return;

  name = tc_contact_dup_display_name (self->contact);
  dialog = tc_consent_dialog_new (parent_window (self), self->repository,
                                  tc_contact_get_phone (self->contact), name);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
build_overview_group (TcContactPage         *self,
                      const TcConsentReport *report)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *button;

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Consent"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Each channel and purpose needs its own consent: agreeing to one is never agreeing to another."));

  button = gtk_button_new_with_mnemonic (_("_Record Consent…"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Record a consent this person gave, with the exact wording they agreed to"));
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_record_clicked_cb), self, 0);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), button);

  for (guint channel = TC_CHANNEL_SMS; channel <= TC_CHANNEL_WHATSAPP; channel++)
    for (guint purpose = TC_PURPOSE_PROMOTIONAL; purpose <= TC_PURPOSE_TRANSACTIONAL; purpose++)
      {
        const TcConsentState *state = report != NULL ? &report->states[channel][purpose] : NULL;
        TcConsentState none = { .status = TC_CONSENT_STATUS_NONE };
        g_autofree char *title = pair_title (channel, purpose);
        g_autofree char *sentence = NULL;
        GtkWidget *row;

        if (state == NULL)
          state = &none;
        sentence = tc_gui_describe_consent_state (channel, purpose, state);

        row = adw_action_row_new ();
        adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sentence);
        adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
        adw_action_row_add_prefix (ADW_ACTION_ROW (row), status_badge (state->status));

        if (state->status == TC_CONSENT_STATUS_OPTED_IN || state->status == TC_CONSENT_STATUS_PENDING)
          {
            g_autofree char *tooltip = NULL;

            button = gtk_button_new_with_mnemonic (_("Re_voke…"));
            gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
            /* Translators: “Record that this person no longer wants promotional SMS” */
            tooltip = g_strdup_printf (_("Record that this person no longer wants %s %s"),
                                       tc_gui_purpose_adjective (purpose), tc_gui_channel_name (channel));
            gtk_widget_set_tooltip_text (button, tooltip);
            g_object_set_data (G_OBJECT (button), "channel", GINT_TO_POINTER (channel));
            g_object_set_data (G_OBJECT (button), "purpose", GINT_TO_POINTER (purpose));
            g_signal_connect_object (button, "clicked", G_CALLBACK (on_revoke_clicked_cb), self, 0);
            adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
          }

        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      }

  return group;
}

static GtkWidget *
build_history_group (TcContactPage         *self,
                     const TcConsentReport *report)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Consent History"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Every change with its proof, newest first. Nothing here is ever edited or deleted."));

  if (report->events->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Nothing recorded yet"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("Promotional messages need this person’s recorded consent."));
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      return group;
    }

  /* The ledger gives them oldest first; the latest change matters most. */
  for (guint i = report->events->len; i > 0; i--)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                               build_event_row (self, g_ptr_array_index (report->events, i - 1)));

  return group;
}

static void
clear_consent_box (TcContactPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->consent_box))) != NULL)
    gtk_box_remove (self->consent_box, child);
}

static void
on_report_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(TcContactPage) self = user_data;
  g_autoptr(TcConsentReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = tc_consent_ledger_report_finish (TC_REPOSITORY (object), result, &error);
  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self->consent_box == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;

  clear_consent_box (self);

  if (report == NULL)
    {
      g_autofree char *text = tc_gui_describe_error (error);
      GtkWidget *group = adw_preferences_group_new ();
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Consent"));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("The consent records could not be read"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      gtk_box_append (self->consent_box, group);
      return;
    }

  gtk_box_append (self->consent_box, build_overview_group (self, report));
  gtk_box_append (self->consent_box, build_history_group (self, report));
}

static void
load_consent (TcContactPage *self)
{
  if (self->contact == NULL || self->repository == NULL || self->erased)
    return;

  g_cancellable_cancel (self->consent_cancellable);
  g_clear_object (&self->consent_cancellable);
  self->consent_cancellable = g_cancellable_new ();

  tc_consent_ledger_report_async (self->repository,
                                  tc_contact_get_id (self->contact), NULL,
                                  self->consent_cancellable,
                                  on_report_loaded_cb,
                                  g_object_ref (self));
}

static gboolean
on_reload_timeout_cb (gpointer user_data)
{
  TcContactPage *self = user_data;

  self->reload_source = 0;
  load_consent (self);

  return G_SOURCE_REMOVE;
}

/* A consent recorded here, by the CLI's inbound handling or an import: the
 * timeline follows. Bursts of changes (an import commits many) load once. */
static void
on_contacts_changed_cb (TcContactPage *self)
{
  if (self->consent_box == NULL || self->reload_source != 0)
    return;

  self->reload_source = g_timeout_add (100, on_reload_timeout_cb, self);
}

static void
on_export_written_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(TcContactPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      g_autofree char *reason = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      reason = tc_gui_describe_error (error);
      text = g_strdup_printf (_("Could not save the export: %s"), reason);
      show_toast (self, text);
      return;
    }

  name = g_file_get_basename (G_FILE (object));
  /* Translators: %s is a file name */
  text = g_strdup_printf (_("Exported to %s"), name);
  show_toast (self, text);
}

typedef struct
{
  TcContactPage *self;
  GFile         *file;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_clear_object (&job->self);
  g_clear_object (&job->file);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExportJob, export_job_free)

static void
on_export_ready_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(ExportJob) job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *data;

  data = tc_privacy_export_finish (TC_REPOSITORY (object), result, &error);
  if (data == NULL)
    {
      g_autofree char *reason = NULL;
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      reason = tc_gui_describe_error (error);
      text = g_strdup_printf (_("Could not export this contact: %s"), reason);
      show_toast (job->self, text);
      return;
    }

  bytes = g_bytes_new_take (data, strlen (data));
  g_file_replace_contents_bytes_async (job->file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION,
                                       NULL, on_export_written_cb, g_object_ref (job->self));
}

static void
on_export_chooser_response_cb (GtkNativeDialog *chooser,
                               int              response,
                               TcContactPage   *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *basename = NULL;
  TcPrivacyFormat format = TC_PRIVACY_FORMAT_JSON;
  ExportJob *job;

  if (response == GTK_RESPONSE_ACCEPT && self->contact != NULL && self->repository != NULL)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  g_clear_object (&self->export_chooser);
  if (file == NULL)
    return;

  /* The format follows the name chosen: .csv for a table, else JSON. */
  basename = g_file_get_basename (file);
  if (basename != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (basename, -1);

      if (g_str_has_suffix (lower, ".csv"))
        format = TC_PRIVACY_FORMAT_CSV;
    }

  job = g_new0 (ExportJob, 1);
  job->self = g_object_ref (self);
  job->file = g_steal_pointer (&file);
  tc_privacy_export_async (self->repository, tc_contact_get_phone (self->contact), format,
                           NULL, on_export_ready_cb, job);
}

static void
on_export_clicked_cb (GtkButton     *button,
                      TcContactPage *self)
{
  g_autoptr(GtkFileFilter) json = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  g_autofree char *suggested = NULL;
  GtkFileChooserNative *chooser;

  if (self->contact == NULL || self->export_chooser != NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Export Data"), parent_window (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  gtk_file_filter_set_name (json, _("JSON (everything, for programs)"));
  gtk_file_filter_add_pattern (json, "*.json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), json);
  gtk_file_filter_set_name (csv, _("CSV (a table for spreadsheets)"));
  gtk_file_filter_add_pattern (csv, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), csv);

  name = tc_contact_dup_display_name (self->contact);
  g_strdelimit (name, "/\\:", '-');
  /* Translators: the suggested file name of a GDPR export; %s is the contact's name */
  suggested = g_strdup_printf (_("%s — personal data.json"), name);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested);

  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_chooser_response_cb), self, 0);
  self->export_chooser = chooser;
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_erased_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TcContactPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean had_contact = FALSE;

  if (!tc_privacy_erase_finish (TC_REPOSITORY (object), result, &had_contact, &error))
    {
      g_autofree char *reason = tc_gui_describe_error (error);
      g_autofree char *text = g_strdup_printf (_("Could not erase this contact: %s"), reason);

      self->erased = FALSE;
      show_toast (self, text);
      return;
    }

  show_toast (self, _("Contact erased; the number stays blocked from sign-ups"));
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-contacts", NULL);
}

static void
on_erase_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      TcContactPage    *self)
{
  if (g_strcmp0 (response, "erase") != 0 || self->contact == NULL || self->repository == NULL)
    return;

  /* No reloading of a contact that is going away. */
  self->erased = TRUE;
  tc_privacy_erase_async (self->repository, tc_contact_get_phone (self->contact), NULL,
                          on_erased_cb, g_object_ref (self));
}

static void
on_erase_clicked_cb (GtkButton     *button,
                     TcContactPage *self)
{
  g_autofree char *name = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (self->contact == NULL)
    return;

  name = tc_contact_dup_display_name (self->contact);
  /* Translators: %s is the contact's name */
  body = g_strdup_printf (_("Everything Textcast holds about %s is deleted: the contact, tags, "
                            "consent history, messages and link clicks. This cannot be undone.\n\n"
                            "The number is kept only as a one-way hash on a block list, so that a "
                            "later import or a consent recorded by hand cannot sign this person up "
                            "again. Only they can, by texting START."),
                          name);

  dialog = adw_message_dialog_new (parent_window (self), _("Erase This Contact?"), body);
  gtk_window_set_title (GTK_WINDOW (dialog), _("Erase This Contact?"));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "erase", _("_Erase"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "erase",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_erase_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
build_privacy_group (TcContactPage *self)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *row;
  GtkWidget *button;

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Personal Data"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("What the privacy laws let this person ask for"));

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Export everything about this person"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _("Contact, tags, consent history, messages and clicks, as JSON or CSV"));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  button = gtk_button_new_with_mnemonic (_("E_xport Data…"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_export_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Erase this person"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _("Deletes everything; the number is kept only as a hash, so nobody can sign them up again"));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  button = gtk_button_new_with_mnemonic (_("Erase _Contact…"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "destructive-action");
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_erase_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  return group;
}

static void
build_content (TcContactPage *self)
{
  g_autofree char *created = tc_gui_format_datetime (tc_contact_get_created_at (self->contact));
  g_autofree char *updated = tc_gui_format_datetime (tc_contact_get_updated_at (self->contact));
  const char * const *zones = tc_contact_get_timezones (self->contact);
  g_autofree char *zones_text = NULL;
  GHashTable *attributes = tc_contact_get_attributes (self->contact);
  const char *country = tc_contact_get_country (self->contact);
  g_autofree char *country_text = NULL;
  AdwPreferencesGroup *group;
  GtkWidget *box;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  gtk_box_append (GTK_BOX (box), build_header (self));

  if (zones != NULL && zones[0] != NULL)
    zones_text = g_strjoinv (", ", (char **) zones);
  if (country != NULL && country[0] != '\0')
    country_text = g_strdup_printf ("%s (%s)", tc_gui_country_name (country), country);

  group = add_group (GTK_BOX (box), _("Phone"), NULL);
  add_field_row (group, _("E.164"), tc_contact_get_phone (self->contact));
  self->type_label = add_field_row (group, _("Type"), "…");
  self->location_label = add_field_row (group, _("Location"), "…");
  self->timezones_label = add_field_row (group, _("Time zones"), zones_text ? zones_text : "…");
  add_field_row (group, _("Country"), country_text);

  group = add_group (GTK_BOX (box), _("Details"), NULL);
  add_field_row (group, _("First name"), tc_contact_get_first_name (self->contact));
  add_field_row (group, _("Last name"), tc_contact_get_last_name (self->contact));
  add_field_row (group, _("Email"), tc_contact_get_email (self->contact));
  add_field_row (group, _("Language"), tc_contact_get_language (self->contact));
  add_field_row (group, _("Added"), created);
  add_field_row (group, _("Last changed"), updated);

  if (attributes != NULL && g_hash_table_size (attributes) > 0)
    {
      g_autofree gpointer *keys = NULL;
      guint n_keys = 0;

      keys = g_hash_table_get_keys_as_array (attributes, &n_keys);
      qsort (keys, n_keys, sizeof (gpointer), compare_strings);

      group = add_group (GTK_BOX (box), _("Custom Attributes"),
                         _("Extra columns kept from imported files"));
      for (guint i = 0; i < n_keys; i++)
        add_field_row (group, keys[i], g_hash_table_lookup (attributes, keys[i]));
    }

  self->consent_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 24));
  {
    GtkWidget *spinner = gtk_spinner_new ();

    gtk_spinner_start (GTK_SPINNER (spinner));
    gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
    gtk_box_append (self->consent_box, spinner);
  }
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->consent_box));
  gtk_box_append (GTK_BOX (box), build_privacy_group (self));

  adw_clamp_set_child (self->clamp, box);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
}

static void
on_phone_parsed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  TcContactPage *self = TC_CONTACT_PAGE (object);
  g_autoptr(TcPhoneInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *zones = NULL;

  info = parse_phone_finish (self, result, &error);
  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self->type_label == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;

  if (info == NULL)
    {
      set_value (self->type_label, _("Not a valid number"));
      set_value (self->location_label, NULL);
      return;
    }

  set_value (self->type_label, phone_type_name (info->type));
  set_value (self->location_label, info->location);

  /* The stored zones win; the parsed ones fill in for older records. */
  if (g_strcmp0 (gtk_label_get_label (self->timezones_label), "…") == 0)
    {
      if (info->timezones != NULL && info->timezones[0] != NULL)
        zones = g_strjoinv (", ", info->timezones);
      set_value (self->timezones_label, zones);
    }
}

static void
on_contact_loaded_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(TcContactPage) self = user_data;
  g_autoptr(TcContact) contact = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  contact = tc_repository_get_contact_finish (TC_REPOSITORY (object), result, &error);
  if (contact == NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      text = tc_gui_describe_error (error);
      adw_status_page_set_description (self->error_page, text);
      gtk_spinner_stop (self->spinner);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  g_set_object (&self->contact, contact);

  name = tc_contact_dup_display_name (contact);
  adw_window_title_set_title (self->window_title, name);
  adw_window_title_set_subtitle (self->window_title, NULL);

  build_content (self);
  gtk_spinner_stop (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "contact");

  parse_phone_async (self, tc_contact_get_phone (contact), self->cancellable,
                     on_phone_parsed_cb, NULL);
  load_consent (self);
}

static void
tc_contact_page_dispose (GObject *object)
{
  TcContactPage *self = (TcContactPage *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->consent_cancellable);
  g_clear_handle_id (&self->reload_source, g_source_remove);
  if (self->export_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->export_chooser));
  g_clear_object (&self->export_chooser);
  g_clear_signal_handler (&self->changed_handler, self->repository);

  self->type_label = NULL;
  self->location_label = NULL;
  self->timezones_label = NULL;
  self->consent_box = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (self), TC_TYPE_CONTACT_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->contact);
  g_clear_object (&self->repository);

  G_OBJECT_CLASS (tc_contact_page_parent_class)->dispose (object);
}

static void
tc_contact_page_finalize (GObject *object)
{
  TcContactPage *self = (TcContactPage *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->consent_cancellable);
  g_clear_pointer (&self->expanded_events, g_hash_table_unref);

  G_OBJECT_CLASS (tc_contact_page_parent_class)->finalize (object);
}

static void
tc_contact_page_class_init (TcContactPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tc_contact_page_dispose;
  object_class->finalize = tc_contact_page_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/textcast/Textcast/tc-contact-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TcContactPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, TcContactPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TcContactPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, TcContactPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, TcContactPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, TcContactPage, clamp);
}

static void
tc_contact_page_init (TcContactPage *self)
{
  self->expanded_events = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
}

void
tc_contact_page_show (TcContactPage *self,
                      TcRepository  *repository,
                      gint64         id)
{
  g_return_if_fail (TC_IS_CONTACT_PAGE (self));
  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (id > 0);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_cancellable_cancel (self->consent_cancellable);
  g_clear_handle_id (&self->reload_source, g_source_remove);

  if (self->repository != repository)
    {
      g_clear_signal_handler (&self->changed_handler, self->repository);
      g_set_object (&self->repository, repository);
      self->changed_handler = g_signal_connect_object (repository, "contacts-changed",
                                                       G_CALLBACK (on_contacts_changed_cb),
                                                       self, G_CONNECT_SWAPPED);
    }
  g_clear_object (&self->contact);
  g_hash_table_remove_all (self->expanded_events);
  self->erased = FALSE;
  self->type_label = NULL;
  self->location_label = NULL;
  self->timezones_label = NULL;
  self->consent_box = NULL;
  adw_clamp_set_child (self->clamp, NULL);

  adw_window_title_set_title (self->window_title, _("Contact"));
  adw_window_title_set_subtitle (self->window_title, NULL);
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "loading");

  tc_repository_get_contact_async (repository, id, self->cancellable,
                                   on_contact_loaded_cb,
                                   g_object_ref (self));
}
