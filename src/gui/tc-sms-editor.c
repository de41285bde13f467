/* tc-sms-editor.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-sms-editor"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <adwaita.h>

#include "tc-contact.h"
#include "tc-editor-logic.h"
#include "tc-gui-util.h"
#include "tc-media-probe.h"
#include "tc-mustache.h"
#include "tc-optout.h"
#include "tc-repository.h"
#include "tc-settings.h"
#include "tc-sms-editor.h"
#include "tc-soup.h"
#include "tc-template-store.h"
#include "tc-toasts.h"

/* How many contacts the preview offers. */
#define PREVIEW_CONTACTS 50

/* How long the image address must stay unchanged before it is checked. */
#define MEDIA_PROBE_DELAY_MS 600

/* Twilio sends the text of an MMS with its picture as one message of up
 * to 1,600 characters, not in SMS segments: "The Twilio Programmable
 * Messaging platform has a limit of 1600 characters in a single incoming or
 * outgoing message. This limit applies to all Programmable Messaging
 * channels, including SMS, MMS" (support.twilio.com/hc/en-us/articles/
 * 360033806753, and error 21617 at www.twilio.com/docs/api/errors/21617). */
#define MMS_MAX_TEXT_CHARS 1600

struct _TcSmsEditor
{
  GtkWidget           parent_instance;

  /* Template widgets */
  AdwWindowTitle     *window_title;
  AdwEntryRow        *name_row;
  AdwComboRow        *purpose_row;
  AdwEntryRow        *language_row;
  GtkMenuButton      *variables_button;
  GtkPopover         *variables_popover;
  GtkListBox         *variables_list;
  GtkMenuButton      *snippets_button;
  GtkPopover         *snippets_popover;
  GtkStack           *snippets_stack;
  GtkListBox         *snippets_list;
  GtkTextView        *text_view;
  GtkLabel           *counter_label;
  GtkWidget          *ucs2_box;
  GtkButton          *replace_button;
  GtkLabel           *optout_label;
  GtkDropDown        *contact_dropdown;
  GtkLabel           *preview_label;
  GtkLabel           *links_label;
  GtkWidget          *brand_button;
  GtkBox             *warnings_box;
  AdwEntryRow        *media_row;
  GtkSpinner         *media_spinner;
  GtkWidget          *media_box;
  GtkLabel           *media_status_label;
  GtkLabel           *media_note_label;
  GtkWidget          *preview_media_box;
  GtkLabel           *preview_media_label;

  TcRepository       *repository;
  /* The working copy: saved on Save, never shared with the list. */
  TcTemplate         *template;
  /* Cancelled when another template is opened and on dispose. */
  GCancellable       *cancellable;
  GtkTextTag         *non_gsm_tag;
  /* (element-type TcContact) the contacts the preview offers */
  GPtrArray          *contacts;
  GStrv               attribute_names;
  TcMustachePartials *partials;
  JsonObject         *event;
  /* The workspace settings (brand, links, opt-out), key → value; NULL
   * until loaded, then read again whenever one changes. */
  GHashTable         *settings;
  TcOptout           *optout;

  /* The MMS picture: its address is checked MEDIA_PROBE_DELAY_MS after
   * the last change; media_type is what the check found for
   * media_checked_url. */
  SoupSession        *soup_session;
  GCancellable       *media_cancellable;
  guint               media_timeout_id;
  char               *media_checked_url;
  char               *media_type;

  /* TEXTCAST_TEST_STATE_FILE, and what was written there last. */
  char               *state_file;
  char               *last_state;

  guint               filling : 1;
  guint               saving : 1;
};

G_DEFINE_FINAL_TYPE (TcSmsEditor, tc_sms_editor, GTK_TYPE_WIDGET)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update (TcSmsEditor *self);

static gboolean
is_snippet (TcSmsEditor *self)
{
  return self->template != NULL &&
         tc_template_get_kind (self->template) == TC_TEMPLATE_KIND_SNIPPET;
}

static gboolean
is_promotional (TcSmsEditor *self)
{
  return !is_snippet (self) && adw_combo_row_get_selected (self->purpose_row) == 0;
}

/* The image address as typed, without surrounding spaces. */
static char *
get_media_url (TcSmsEditor *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->media_row))));
}

static gboolean
has_media (TcSmsEditor *self)
{
  g_autofree char *url = NULL;

  if (self->template == NULL || is_snippet (self))
    return FALSE;
  url = get_media_url (self);

  return url[0] != '\0';
}

static char *
get_text (TcSmsEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
toast (TcSmsEditor *self,
       const char  *text)
{
  /* The answer to what was just done replaces older news at once. */
  tc_toasts_say (GTK_WIDGET (self), text, 4);
}

static void
write_state (TcSmsEditor *self,
             const char  *counter)
{
  g_autoptr(GError) error = NULL;

  if (self->state_file == NULL || g_strcmp0 (self->last_state, counter) == 0)
    return;

  g_free (self->last_state);
  self->last_state = g_strdup (counter);
  if (!tc_editor_write_state (self->state_file, counter, &error))
    g_message ("Cannot write the test state file: %s", error->message);
}

static void
update_title (TcSmsEditor *self)
{
  g_autofree char *subtitle = NULL;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));

  if (self->template == NULL)
    return;

  if (tc_template_get_id (self->template) == 0)
    subtitle = g_strdup (is_snippet (self) ? _("New snippet, not saved yet")
                                           : _("New SMS template, not saved yet"));
  else
    subtitle = g_strdup_printf (is_snippet (self) ? _("Snippet · version %d") : _("SMS · version %d"),
                                tc_template_get_version (self->template));

  adw_window_title_set_title (self->window_title, name);
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

static TcContact *
preview_contact (TcSmsEditor *self)
{
  guint selected = gtk_drop_down_get_selected (self->contact_dropdown);

  if (self->contacts != NULL && selected < self->contacts->len)
    return g_ptr_array_index (self->contacts, selected);

  return NULL;
}

/* The brand comes from the settings, through the options. */
static JsonNode *
preview_vars (TcSmsEditor *self)
{
  TcContact *contact = preview_contact (self);
  JsonNode *vars;

  if (contact != NULL)
    return tc_mustache_vars_new_for_contact (contact, NULL, self->event);

  vars = json_node_init_object (json_node_alloc (), json_object_new ());
  json_object_set_object_member (json_node_get_object (vars), "event", json_object_ref (self->event));

  return vars;
}

static const char *
get_setting (TcSmsEditor *self,
             const char  *key)
{
  const char *value;

  if (self->settings == NULL)
    return NULL;

  value = g_hash_table_lookup (self->settings, key);
  return value != NULL && value[0] != '\0' ? value : NULL;
}

/* Fills @options for the preview contact; the strings stay owned by the
 * editor and the contact. */
static void
get_options (TcSmsEditor        *self,
             TcEditorSmsOptions *options)
{
  TcContact *contact = preview_contact (self);
  const char *language = gtk_editable_get_text (GTK_EDITABLE (self->language_row));

  /* The template's language, else the contact's. */
  if (language[0] == '\0' && contact != NULL)
    language = tc_contact_get_language (contact);

  memset (options, 0, sizeof *options);
  options->promotional = is_promotional (self);
  options->language = language;
  options->optout = self->optout;
  options->optout_every_message = tc_editor_settings_get_boolean (self->settings,
                                                                  TC_SETTING_OPTOUT_EVERY_MESSAGE, TRUE);
  options->brand = get_setting (self, TC_SETTING_BRAND_NAME);
  options->campaign = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  options->short_domain = get_setting (self, TC_SETTING_SHORT_LINK_DOMAIN);
}

static void
update_preview (TcSmsEditor              *self,
                const TcEditorPreview    *preview,
                const TcEditorSmsOptions *options)
{
  GtkWidget *child;

  gtk_label_set_text (self->preview_label, preview->text != NULL ? preview->text : "");

  gtk_widget_set_visible (GTK_WIDGET (self->links_label), preview->has_links);
  if (preview->has_links)
    {
      g_autofree char *note = tc_editor_links_note (options->short_domain);

      gtk_label_set_text (self->links_label, note);
    }
  gtk_widget_set_visible (self->brand_button, preview->needs_brand);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->warnings_box))) != NULL)
    gtk_box_remove (self->warnings_box, child);
  for (guint i = 0; i < preview->warnings->len; i++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      GtkWidget *label = gtk_label_new (g_ptr_array_index (preview->warnings, i));

      gtk_widget_set_valign (icon, GTK_ALIGN_START);
      gtk_widget_add_css_class (icon, "warning");
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "caption");
      gtk_box_append (GTK_BOX (box), icon);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (self->warnings_box, box);
    }
}

static void
update (TcSmsEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  g_autofree char *text = NULL;
  g_autofree char *recipient = NULL;
  g_autoptr(TcEditorSmsState) state = NULL;
  g_autoptr(JsonNode) vars = NULL;
  TcEditorSmsOptions options;
  GtkTextIter start, end;

  if (self->filling || self->template == NULL)
    return;

  text = get_text (self);
  vars = preview_vars (self);
  recipient = tc_editor_recipient_name (preview_contact (self));
  get_options (self, &options);
  /* The counter is about what the preview contact gets; the highlights
   * are about what the author typed. */
  state = tc_editor_sms_state_new_full (text, vars, self->partials, recipient, &options);

  if (has_media (self))
    {
      /* Sent as MMS: one message, so SMS segments say nothing. */
      g_autofree char *mms_counter = NULL;
      const char *sent = state->preview != NULL && state->preview->text != NULL
                           ? state->preview->text : text;

      mms_counter = g_strdup_printf (_("MMS · %ld of %d characters"),
                                     g_utf8_strlen (sent, -1), MMS_MAX_TEXT_CHARS);
      gtk_label_set_text (self->counter_label, mms_counter);
      write_state (self, mms_counter);
    }
  else
    {
      gtk_label_set_text (self->counter_label, state->counter);
      write_state (self, state->counter);
    }

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag (buffer, self->non_gsm_tag, &start, &end);
  for (guint i = 0; i < state->highlights->len; i++)
    {
      const TcEditorRange *r = &g_array_index (state->highlights, TcEditorRange, i);

      gtk_text_buffer_get_iter_at_offset (buffer, &start, r->start);
      gtk_text_buffer_get_iter_at_offset (buffer, &end, r->end);
      gtk_text_buffer_apply_tag (buffer, self->non_gsm_tag, &start, &end);
    }

  gtk_widget_set_visible (self->ucs2_box, state->replace_label != NULL);
  if (state->replace_label != NULL)
    {
      /* Alt+R. */
      g_autofree char *label = g_strconcat ("_", state->replace_label, NULL);

      gtk_button_set_label (self->replace_button, label);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.replace", state->replace_label != NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->optout_label), state->optout_note != NULL);
  gtk_label_set_text (self->optout_label, state->optout_note != NULL ? state->optout_note : "");

  if (state->preview != NULL)
    update_preview (self, state->preview, &options);
}

static void
on_text_changed_cb (TcSmsEditor *self)
{
  update (self);
}

static void
on_name_row_changed_cb (TcSmsEditor *self)
{
  update_title (self);
}

static void
set_media_status (TcSmsEditor *self,
                  const char  *status,
                  gboolean     problem)
{
  gtk_label_set_text (self->media_status_label, status);
  if (problem)
    gtk_widget_add_css_class (GTK_WIDGET (self->media_status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->media_status_label), "error");
}

static void
on_media_probed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(TcSmsEditor) self = user_data;
  g_autoptr(TcMediaProbeResult) probed = NULL;
  g_autoptr(GError) error = NULL;

  probed = tc_media_probe_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_stop (self->media_spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->media_spinner), FALSE);

  if (probed == NULL)
    {
      set_media_status (self, error->message, TRUE);
      return;
    }

  g_free (self->media_type);
  self->media_type = g_strdup (probed->content_type);
  {
    g_autofree char *description = tc_media_probe_result_describe (probed);
    /* Translators: %s describes the file, e.g. "JPEG image, 240.0 kB". */
    g_autofree char *status = g_strdup_printf (_("%s — sent as MMS"), description);

    set_media_status (self, status, FALSE);
  }
}

static gboolean
probe_media_cb (gpointer user_data)
{
  TcSmsEditor *self = user_data;
  g_autofree char *url = get_media_url (self);

  self->media_timeout_id = 0;

  if (self->soup_session == NULL)
    self->soup_session = tc_soup_session_new ();
  g_free (self->media_checked_url);
  self->media_checked_url = g_strdup (url);
  g_clear_pointer (&self->media_type, g_free);

  tc_media_probe_async (self->soup_session, url, TC_MEDIA_CHANNEL_MMS, self->media_cancellable,
                        on_media_probed_cb, g_object_ref (self));

  return G_SOURCE_REMOVE;
}

/* The picture's address changed (or another template was opened): the
 * note, the preview and, a moment later, the check follow. */
static void
media_changed (TcSmsEditor *self)
{
  g_autofree char *url = get_media_url (self);
  g_autofree char *file_name = NULL;
  gboolean media = has_media (self);

  g_clear_handle_id (&self->media_timeout_id, g_source_remove);
  g_cancellable_cancel (self->media_cancellable);
  g_clear_object (&self->media_cancellable);
  self->media_cancellable = g_cancellable_new ();

  gtk_widget_set_visible (self->media_box, media);
  gtk_widget_set_visible (self->preview_media_box, media);
  gtk_widget_set_visible (GTK_WIDGET (self->media_spinner), media);

  if (!media)
    {
      gtk_spinner_stop (self->media_spinner);
      g_clear_pointer (&self->media_checked_url, g_free);
      g_clear_pointer (&self->media_type, g_free);
      update (self);
      return;
    }

  file_name = g_path_get_basename (url);
  gtk_label_set_text (self->preview_media_label, file_name);
  gtk_label_set_text (self->media_note_label,
                      _("MMS is billed at a higher price than SMS. The text goes with the picture "
                        "as one message of up to 1,600 characters, so SMS segments do not apply."));
  gtk_spinner_start (self->media_spinner);
  set_media_status (self, _("Checking the image…"), FALSE);
  self->media_timeout_id = g_timeout_add (MEDIA_PROBE_DELAY_MS, probe_media_cb, self);
  update (self);
}

static void
on_media_row_changed_cb (TcSmsEditor *self)
{
  if (self->filling)
    return;

  media_changed (self);
}

static void
insert_at_cursor (TcSmsEditor *self,
                  const char  *text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);

  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_delete_selection (buffer, TRUE, TRUE);
  gtk_text_buffer_insert_at_cursor (buffer, text, -1);
  gtk_text_buffer_end_user_action (buffer);
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

static void
on_variable_row_activated_cb (TcSmsEditor   *self,
                              GtkListBoxRow *row)
{
  const char *tag = g_object_get_data (G_OBJECT (row), "tag");

  if (tag == NULL)
    return;

  gtk_popover_popdown (self->variables_popover);
  insert_at_cursor (self, tag);
}

static void
on_snippet_row_activated_cb (TcSmsEditor   *self,
                             GtkListBoxRow *row)
{
  const char *tag = g_object_get_data (G_OBJECT (row), "tag");

  if (tag == NULL)
    return;

  gtk_popover_popdown (self->snippets_popover);
  insert_at_cursor (self, tag);
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
add_heading (GtkListBox *list,
             const char *title)
{
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_start (label, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_list_box_append (list, row);
}

/* A row that inserts @tag, shown as @tag with @description under it. */
static void
add_tag_row (GtkListBox *list,
             const char *tag,
             const char *description)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label = gtk_label_new (tag);
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "monospace");
  gtk_box_append (GTK_BOX (box), label);
  if (description != NULL)
    {
      GtkWidget *desc = gtk_label_new (description);

      gtk_label_set_xalign (GTK_LABEL (desc), 0);
      gtk_widget_add_css_class (desc, "caption");
      gtk_widget_add_css_class (desc, "dim-label");
      gtk_box_append (GTK_BOX (box), desc);
    }
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "tag", g_strdup (tag), g_free);
  gtk_list_box_append (list, row);
}

static const char *
field_description (const char *field)
{
  if (strcmp (field, "first_name") == 0)
    return _("First name");
  if (strcmp (field, "last_name") == 0)
    return _("Last name");
  if (strcmp (field, "phone") == 0)
    return _("Phone number");
  if (strcmp (field, "email") == 0)
    return _("Email address");
  if (strcmp (field, "country") == 0)
    return _("Country code");
  if (strcmp (field, "language") == 0)
    return _("Language");
  if (strcmp (field, "event.cart_url") == 0)
    return _("Link to the abandoned cart");
  if (strcmp (field, "event.order_number") == 0)
    return _("Order number");
  if (strcmp (field, "event.items") == 0)
    return _("Items in the cart or order");

  return NULL;
}

static void
build_variables (TcSmsEditor *self)
{
  const char * const *fields = tc_editor_contact_fields ();
  const char * const *events = tc_editor_event_fields ();
  g_autofree char *brand = tc_editor_variable_tag ("brand");

  clear_list (self->variables_list);

  add_heading (self->variables_list, _("Contact"));
  for (guint i = 0; fields[i] != NULL; i++)
    {
      g_autofree char *tag = tc_editor_variable_tag (fields[i]);

      add_tag_row (self->variables_list, tag, field_description (fields[i]));
    }

  if (self->attribute_names != NULL && self->attribute_names[0] != NULL)
    {
      add_heading (self->variables_list, _("Custom Attributes"));
      for (guint i = 0; self->attribute_names[i] != NULL; i++)
        {
          const char *attr = self->attribute_names[i];
          g_autofree char *path = NULL;
          g_autofree char *tag = NULL;

          /* An attribute named like a field is reached through
           * "attributes.", which is never shadowed. */
          if (g_strv_contains (fields, attr) || strcmp (attr, "brand") == 0 ||
              strcmp (attr, "event") == 0 || strcmp (attr, "tags") == 0 ||
              strcmp (attr, "attributes") == 0 || strchr (attr, '.') != NULL ||
              strpbrk (attr, " \t{}|") != NULL)
            path = g_strdup_printf ("attributes.%s", attr);
          else
            path = g_strdup (attr);
          /* A name that Mustache cannot spell is left out. */
          if (strpbrk (path, " \t{}|") != NULL)
            continue;
          tag = tc_editor_variable_tag (path);
          add_tag_row (self->variables_list, tag, NULL);
        }
    }

  add_heading (self->variables_list, _("Sender"));
  add_tag_row (self->variables_list, brand, _("Your brand name"));

  add_heading (self->variables_list, _("Event (in journeys)"));
  for (guint i = 0; events[i] != NULL; i++)
    {
      g_autofree char *tag = tc_editor_variable_tag (events[i]);

      add_tag_row (self->variables_list, tag, field_description (events[i]));
    }
}

static void
on_attribute_names_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(TcSmsEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  GStrv names;

  names = tc_repository_list_attribute_names_finish (TC_REPOSITORY (object), result, &error);
  if (names == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No custom attributes for the picker: %s", error->message);
      return;
    }

  g_strfreev (self->attribute_names);
  self->attribute_names = names;
  build_variables (self);
}

static void
on_snippets_listed_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(TcSmsEditor) self = user_data;
  g_autoptr(GPtrArray) snippets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) sources = json_object_new ();
  guint n_shown = 0;

  snippets = tc_repository_list_templates_finish (TC_REPOSITORY (object), result, &error);
  if (snippets == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No snippets for the picker: %s", error->message);
      return;
    }

  clear_list (self->snippets_list);
  for (guint i = 0; i < snippets->len; i++)
    {
      TcTemplate *snippet = g_ptr_array_index (snippets, i);
      const char *name = tc_template_get_name (snippet);
      g_autofree char *tag = tc_editor_snippet_tag (name);

      json_object_set_string_member (sources, name, tc_template_get_body (snippet));
      /* A snippet does not include itself. */
      if (self->template != NULL && tc_template_get_id (snippet) == tc_template_get_id (self->template))
        continue;
      add_tag_row (self->snippets_list, tag, NULL);
      n_shown++;
    }
  gtk_stack_set_visible_child_name (self->snippets_stack, n_shown > 0 ? "list" : "none");

  g_clear_pointer (&self->partials, tc_mustache_partials_unref);
  self->partials = tc_mustache_partials_new (sources);
  update (self);
}

static void
on_settings_loaded_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(TcSmsEditor) self = user_data;
  g_autoptr(GHashTable) settings = NULL;
  g_autoptr(GError) error = NULL;

  settings = tc_settings_get_all_finish (TC_REPOSITORY (object), result, &error);
  if (settings == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No workspace settings for the preview: %s", error->message);
      return;
    }

  g_clear_pointer (&self->settings, g_hash_table_unref);
  self->settings = g_steal_pointer (&settings);
  g_clear_pointer (&self->optout, tc_optout_free);
  self->optout = tc_editor_optout_from_settings (self->settings);
  update (self);
}

static void
load_settings (TcSmsEditor *self)
{
  if (self->repository == NULL)
    return;

  tc_settings_get_all_async (self->repository, "", self->cancellable,
                             on_settings_loaded_cb, g_object_ref (self));
}

/* Preferences saved a setting: the preview follows at once. */
static void
on_settings_changed_cb (TcSmsEditor *self)
{
  if (self->template != NULL)
    load_settings (self);
}

static char *
contact_label (TcContact *contact)
{
  g_autofree char *name = g_strstrip (g_strdup_printf ("%s %s",
                                                       tc_contact_get_first_name (contact),
                                                       tc_contact_get_last_name (contact)));

  if (name[0] == '\0')
    return g_strdup (tc_contact_get_phone (contact));

  return g_strdup_printf ("%s (%s)", name, tc_contact_get_phone (contact));
}

static void
on_contacts_listed_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(TcSmsEditor) self = user_data;
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  contacts = tc_repository_list_contacts_finish (TC_REPOSITORY (object), result, &error);
  if (contacts == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No contacts for the preview: %s", error->message);
      return;
    }

  for (guint i = 0; i < contacts->len; i++)
    {
      g_autofree char *label = contact_label (g_ptr_array_index (contacts, i));

      gtk_string_list_append (names, label);
    }

  g_clear_pointer (&self->contacts, g_ptr_array_unref);
  self->contacts = g_steal_pointer (&contacts);
  self->filling = TRUE;
  gtk_drop_down_set_model (self->contact_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->contact_dropdown, 0);
  self->filling = FALSE;
  update (self);
}

static void
on_template_saved_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(TcSmsEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean new_version = FALSE;

  self->saving = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", TRUE);

  if (!tc_repository_save_template_finish (TC_REPOSITORY (object), result, &new_version, &error))
    {
      g_autofree char *reason = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      reason = g_error_matches (error, TC_DB_ERROR, TC_DB_ERROR_CONSTRAINT)
                 ? g_strdup (error->message) : tc_gui_describe_error (error);
      text = g_strdup_printf (_("Could not save: %s"), reason);
      toast (self, text);
      return;
    }

  if (new_version)
    text = g_strdup_printf (_("Saved as version %d"), tc_template_get_version (self->template));
  else
    text = g_strdup_printf (_("No changes to the text: still version %d"),
                            tc_template_get_version (self->template));
  toast (self, text);
  update_title (self);
  g_signal_emit (self, signals[SAVED], 0, self->template);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TcSmsEditor *self = TC_SMS_EDITOR (widget);
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;

  if (self->template == NULL || self->repository == NULL || self->saving)
    return;

  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  if (name[0] == '\0')
    {
      toast (self, _("Give the template a name first"));
      gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
      return;
    }

  text = get_text (self);
  tc_template_set_name (self->template, name);
  tc_template_set_body (self->template, text);
  tc_template_set_language (self->template, gtk_editable_get_text (GTK_EDITABLE (self->language_row)));
  if (!is_snippet (self))
    {
      g_autofree char *media_url = get_media_url (self);

      tc_template_set_purpose (self->template,
                               adw_combo_row_get_selected (self->purpose_row) == 0
                                 ? TC_PURPOSE_PROMOTIONAL : TC_PURPOSE_TRANSACTIONAL);
      /* The type found by the last check of this very address; an
       * address that was not (yet) checked keeps what was stored for it,
       * as `textcast-cli templates save --no-check` would. */
      if (g_strcmp0 (media_url, self->media_checked_url) == 0 && self->media_type != NULL)
        tc_template_set_media_type (self->template, self->media_type);
      else if (g_strcmp0 (media_url, tc_template_get_media_url (self->template)) != 0)
        tc_template_set_media_type (self->template, "");
      tc_template_set_media_url (self->template, media_url);
      if (media_url[0] == '\0')
        tc_template_set_media_type (self->template, "");
    }

  self->saving = TRUE;
  gtk_widget_action_set_enabled (widget, "editor.save", FALSE);
  tc_repository_save_template_async (self->repository, self->template, self->cancellable,
                                     on_template_saved_cb, g_object_ref (self));
}

static void
replace_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TcSmsEditor *self = TC_SMS_EDITOR (widget);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  g_autofree char *text = get_text (self);
  g_autofree char *replaced = tc_editor_replace_non_gsm (text);
  GtkTextIter cursor, start, end;
  int offset;

  if (replaced == NULL || strcmp (replaced, text) == 0)
    return;

  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  offset = gtk_text_iter_get_offset (&cursor);

  /* One user action, so that Ctrl+Z brings the characters back. */
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_delete (buffer, &start, &end);
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_insert (buffer, &start, replaced, -1);
  gtk_text_buffer_end_user_action (buffer);

  gtk_text_buffer_get_iter_at_offset (buffer, &cursor, MIN (offset, gtk_text_buffer_get_char_count (buffer)));
  gtk_text_buffer_place_cursor (buffer, &cursor);
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

static void
tc_sms_editor_dispose (GObject *object)
{
  TcSmsEditor *self = (TcSmsEditor *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->media_cancellable);
  g_clear_handle_id (&self->media_timeout_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TC_TYPE_SMS_EDITOR);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->repository);
  g_clear_object (&self->template);
  g_clear_pointer (&self->contacts, g_ptr_array_unref);
  g_clear_pointer (&self->partials, tc_mustache_partials_unref);
  g_clear_pointer (&self->event, json_object_unref);
  g_clear_pointer (&self->settings, g_hash_table_unref);
  g_clear_pointer (&self->optout, tc_optout_free);
  g_clear_object (&self->soup_session);

  G_OBJECT_CLASS (tc_sms_editor_parent_class)->dispose (object);
}

static void
tc_sms_editor_finalize (GObject *object)
{
  TcSmsEditor *self = (TcSmsEditor *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->media_cancellable);
  g_clear_pointer (&self->media_checked_url, g_free);
  g_clear_pointer (&self->media_type, g_free);
  g_clear_pointer (&self->attribute_names, g_strfreev);
  g_clear_pointer (&self->state_file, g_free);
  g_clear_pointer (&self->last_state, g_free);

  G_OBJECT_CLASS (tc_sms_editor_parent_class)->finalize (object);
}

static void
tc_sms_editor_class_init (TcSmsEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tc_sms_editor_dispose;
  object_class->finalize = tc_sms_editor_finalize;

  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TC_TYPE_TEMPLATE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/textcast/Textcast/tc-sms-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, TcSmsEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, TcSmsEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, TcSmsEditor, purpose_row);
  gtk_widget_class_bind_template_child (widget_class, TcSmsEditor, language_row);
  gtk_widget_class_bind_template_child (widget_class, TcSmsEditor, variables_button);
  gtk_widget_class_bind_template_child (widget_class, TcSmsEditor, variables_popover);
  gtk_widget_class_bind_template_child (widget_class, TcSmsEditor, variables_list);
  gtk_widget_class_bind_template_child (widget_class, TcSmsEditor, snippets_button);
  gtk_widget_class_bind_template_child (widget_class, TcSmsEditor, snippets_popover);
  gtk_widget_class_bind_template_child (widget_class, TcSmsEditor, snippets_stack);
  gtk_widget_class_bind_template_child (widget_class, TcSmsEditor, snippets_list);
  gtk_widget_class_bind_template_child (widget_class, TcSmsEditor, text_view);
  gtk_widget_class_bind_template_child (widget_class, TcSmsEditor, counter_label);
  gtk_widget_class_bind_template_child (widget_class, TcSmsEditor, ucs2_box);
  gtk_widget_class_bind_template_child (widget_class, TcSmsEditor, replace_button);
  gtk_widget_class_bind_template_child (widget_class, TcSmsEditor, optout_label);
  gtk_widget_class_bind_template_child (widget_class, TcSmsEditor, contact_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TcSmsEditor, preview_label);
  gtk_widget_class_bind_template_child (widget_class, TcSmsEditor, links_label);
  gtk_widget_class_bind_template_child (widget_class, TcSmsEditor, brand_button);
  gtk_widget_class_bind_template_child (widget_class, TcSmsEditor, warnings_box);
  gtk_widget_class_bind_template_child (widget_class, TcSmsEditor, media_row);
  gtk_widget_class_bind_template_child (widget_class, TcSmsEditor, media_spinner);
  gtk_widget_class_bind_template_child (widget_class, TcSmsEditor, media_box);
  gtk_widget_class_bind_template_child (widget_class, TcSmsEditor, media_status_label);
  gtk_widget_class_bind_template_child (widget_class, TcSmsEditor, media_note_label);
  gtk_widget_class_bind_template_child (widget_class, TcSmsEditor, preview_media_box);
  gtk_widget_class_bind_template_child (widget_class, TcSmsEditor, preview_media_label);
  gtk_widget_class_bind_template_callback (widget_class, on_text_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_name_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_media_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_variable_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_snippet_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.replace", NULL, replace_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tc_sms_editor_init (TcSmsEditor *self)
{
  GtkTextBuffer *buffer;
  const char *state_file = g_getenv ("TEXTCAST_TEST_STATE_FILE");
  GtkExpression *expression;

  self->cancellable = g_cancellable_new ();
  self->media_cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  buffer = gtk_text_view_get_buffer (self->text_view);
  self->non_gsm_tag = gtk_text_buffer_create_tag (buffer, "non-gsm",
                                                  "underline", PANGO_UNDERLINE_ERROR,
                                                  "background", "rgba(246,211,45,0.45)",
                                                  NULL);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (on_text_changed_cb), self, G_CONNECT_SWAPPED);

  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (self->contact_dropdown, expression);
  gtk_expression_unref (expression);

  /* What a journey's trigger would carry, so that event variables show
   * something in the preview. */
  self->event = json_object_new ();
  json_object_set_string_member (self->event, "cart_url", "https://shop.example/cart/8F3K2");
  json_object_set_string_member (self->event, "order_number", "1042");
  json_object_set_string_member (self->event, "items", _("Trail Runner 2, Wool Socks"));

  if (state_file != NULL && state_file[0] != '\0')
    self->state_file = g_strdup (state_file);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.replace", FALSE);
  build_variables (self);
}

void
tc_sms_editor_edit (TcSmsEditor  *self,
                    TcRepository *repository,
                    TcTemplate   *template)
{
  gboolean snippet;

  g_return_if_fail (TC_IS_SMS_EDITOR (self));
  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (TC_IS_TEMPLATE (template));

  /* Answers for the previous template are dropped. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->saving = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", TRUE);

  if (self->repository != repository)
    {
      if (self->repository != NULL)
        g_signal_handlers_disconnect_by_func (self->repository, on_settings_changed_cb, self);
      g_set_object (&self->repository, repository);
      g_signal_connect_object (repository, "settings-changed", G_CALLBACK (on_settings_changed_cb),
                               self, G_CONNECT_SWAPPED);
    }
  g_clear_object (&self->template);
  self->template = tc_template_copy (template);
  snippet = is_snippet (self);

  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), tc_template_get_name (template));
  gtk_editable_set_text (GTK_EDITABLE (self->language_row), tc_template_get_language (template));
  adw_combo_row_set_selected (self->purpose_row,
                              tc_template_get_purpose (template) == TC_PURPOSE_TRANSACTIONAL ? 1 : 0);
  gtk_widget_set_visible (GTK_WIDGET (self->purpose_row), !snippet);
  /* Snippets are pieces of text: no picture. */
  gtk_widget_set_visible (gtk_widget_get_ancestor (GTK_WIDGET (self->media_row),
                                                   ADW_TYPE_PREFERENCES_GROUP), !snippet);
  gtk_editable_set_text (GTK_EDITABLE (self->media_row), tc_template_get_media_url (template));
  /* Another template's text is not something to undo back to. */
  gtk_text_buffer_begin_irreversible_action (gtk_text_view_get_buffer (self->text_view));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), tc_template_get_body (template), -1);
  gtk_text_buffer_end_irreversible_action (gtk_text_view_get_buffer (self->text_view));
  self->filling = FALSE;

  update_title (self);
  media_changed (self);

  tc_repository_list_contacts_async (repository, NULL, NULL, 0, PREVIEW_CONTACTS, self->cancellable,
                                     on_contacts_listed_cb, g_object_ref (self));
  tc_repository_list_templates_async (repository, TC_TEMPLATE_KIND_SNIPPET, self->cancellable,
                                      on_snippets_listed_cb, g_object_ref (self));
  tc_repository_list_attribute_names_async (repository, self->cancellable,
                                            on_attribute_names_cb, g_object_ref (self));
  load_settings (self);
}

void
tc_sms_editor_focus (TcSmsEditor *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter end;

  g_return_if_fail (TC_IS_SMS_EDITOR (self));

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

gboolean
tc_sms_editor_has_changes (TcSmsEditor *self)
{
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;
  g_autofree char *media_url = NULL;
  TcPurpose purpose;

  g_return_val_if_fail (TC_IS_SMS_EDITOR (self), FALSE);

  if (self->template == NULL)
    return FALSE;

  text = get_text (self);
  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  purpose = adw_combo_row_get_selected (self->purpose_row) == 0 ? TC_PURPOSE_PROMOTIONAL
                                                                 : TC_PURPOSE_TRANSACTIONAL;

  /* A new template counts as changed once something was typed. */
  if (tc_template_get_id (self->template) == 0)
    return text[0] != '\0';

  media_url = get_media_url (self);

  return g_strcmp0 (text, tc_template_get_body (self->template)) != 0 ||
         (!is_snippet (self) && g_strcmp0 (media_url, tc_template_get_media_url (self->template)) != 0) ||
         g_strcmp0 (name, tc_template_get_name (self->template)) != 0 ||
         g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->language_row)),
                    tc_template_get_language (self->template)) != 0 ||
         (!is_snippet (self) && purpose != tc_template_get_purpose (self->template));
}
