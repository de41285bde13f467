/* tc-contact-page.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-contact-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tc-consent.h"
#include "tc-contact-page.h"
#include "tc-contact.h"
#include "tc-gui-util.h"
#include "tc-phone.h"
#include "tc-repository.h"

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
  AdwPreferencesGroup *consent_group;

  TcRepository        *repository;
  TcContact           *contact;
  /* Cancelled when another contact is shown or the page goes away. */
  GCancellable        *cancellable;
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

  self->consent_group = add_group (GTK_BOX (box), _("Consent"),
                                   _("What this person agreed to, and the proof of it, newest first"));
  {
    GtkWidget *spinner = gtk_spinner_new ();

    gtk_spinner_start (GTK_SPINNER (spinner));
    gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
    adw_preferences_group_add (self->consent_group, spinner);
    g_object_set_data (G_OBJECT (self->consent_group), "spinner", spinner);
  }

  adw_clamp_set_child (self->clamp, box);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
}

static GtkWidget *
build_consent_row (TcConsent *consent)
{
  g_autofree char *title = NULL;
  g_autofree char *when = tc_gui_format_datetime (tc_consent_get_recorded_at (consent));
  g_autofree char *subtitle = NULL;
  g_autofree char *wording = NULL;
  TcConsentStatus status = tc_consent_get_status (consent);
  const char *source = tc_consent_get_source (consent);
  const char *text = tc_consent_get_wording (consent);
  GtkWidget *row;
  GtkWidget *child;
  GtkWidget *badge;

  /* Translators: "SMS · Promotional" */
  title = g_strdup_printf (_("%s · %s"),
                           tc_gui_channel_name (tc_consent_get_channel (consent)),
                           tc_gui_purpose_name (tc_consent_get_purpose (consent)));
  /* Translators: "Opted in · 3 March 2026, 14:05" */
  subtitle = g_strdup_printf (_("%s · %s"), tc_gui_consent_status_name (status), when);

  row = adw_expander_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);

  badge = gtk_label_new (tc_gui_consent_status_symbol (status));
  gtk_widget_add_css_class (badge, "consent-badge");
  gtk_widget_add_css_class (badge, tc_gui_consent_status_css_class (status));
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (badge, tc_gui_consent_status_name (status));
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), badge);

  child = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (child), _("Method"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (child),
                               tc_consent_get_method (consent) == TC_CONSENT_METHOD_DOUBLE
                               ? _("Double opt-in: confirmed with a second step")
                               : _("Single opt-in: one action, such as a ticked box"));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), child);

  child = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (child), _("Source"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (child), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (child),
                               source && source[0] ? source : _("Not recorded"));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), child);

  if (text != NULL && text[0] != '\0')
    wording = g_strdup_printf ("“%s”", text);
  child = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (child), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (child), _("Exact wording agreed to"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (child),
                               wording ? wording : _("Not recorded"));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (child), 0);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), child);

  return row;
}

static void
on_consents_listed_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(TcContactPage) self = user_data;
  g_autoptr(GPtrArray) consents = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *spinner;

  consents = tc_repository_list_consents_finish (TC_REPOSITORY (object), result, &error);
  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self->consent_group == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;

  spinner = g_object_get_data (G_OBJECT (self->consent_group), "spinner");
  if (spinner != NULL)
    {
      adw_preferences_group_remove (self->consent_group, spinner);
      g_object_set_data (G_OBJECT (self->consent_group), "spinner", NULL);
    }

  if (error != NULL)
    {
      g_autofree char *text = tc_gui_describe_error (error);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("The consent records could not be read"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
      adw_preferences_group_add (self->consent_group, row);
      return;
    }

  if (consents->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No consent recorded"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("Promotional messages need this person’s recorded consent."));
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      adw_preferences_group_add (self->consent_group, row);
      return;
    }

  for (guint i = 0; i < consents->len; i++)
    adw_preferences_group_add (self->consent_group, build_consent_row (g_ptr_array_index (consents, i)));
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
  tc_repository_list_consents_async (self->repository,
                                     tc_contact_get_id (contact),
                                     self->cancellable,
                                     on_consents_listed_cb,
                                     g_object_ref (self));
}

static void
tc_contact_page_dispose (GObject *object)
{
  TcContactPage *self = (TcContactPage *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);

  self->type_label = NULL;
  self->location_label = NULL;
  self->timezones_label = NULL;
  self->consent_group = NULL;

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

  g_set_object (&self->repository, repository);
  g_clear_object (&self->contact);
  self->type_label = NULL;
  self->location_label = NULL;
  self->timezones_label = NULL;
  self->consent_group = NULL;
  adw_clamp_set_child (self->clamp, NULL);

  adw_window_title_set_title (self->window_title, _("Contact"));
  adw_window_title_set_subtitle (self->window_title, NULL);
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "loading");

  tc_repository_get_contact_async (repository, id, self->cancellable,
                                   on_contact_loaded_cb,
                                   g_object_ref (self));
}
