/* tc-wa-editor.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-wa-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "tc-editor-logic.h"
#include "tc-gui-util.h"
#include "tc-repository.h"
#include "tc-template-store.h"
#include "tc-toasts.h"
#include "tc-wa-editor.h"
#include "tc-wa-template.h"
#include "tc-wa-templates-client.h"

/* The entry rows of one body parameter. */
typedef struct
{
  GtkWidget *example;
  GtkWidget *binding;
} ParamRows;

/* The rows of one button; @url is the URL or the phone number. */
typedef struct
{
  TcWaButtonType  type;
  GtkWidget      *expander;
  GtkWidget      *text;
  GtkWidget      *url;
  GtkWidget      *example;
  GtkWidget      *binding;
} ButtonRows;

struct _TcWaEditor
{
  GtkWidget             parent_instance;

  /* Template widgets */
  AdwWindowTitle       *window_title;
  AdwPreferencesGroup  *problems_group;
  AdwPreferencesGroup  *general_group;
  AdwPreferencesGroup  *header_group;
  AdwPreferencesGroup  *body_group;
  AdwPreferencesGroup  *footer_group;
  AdwEntryRow          *name_row;
  AdwEntryRow          *language_row;
  AdwComboRow          *category_row;
  AdwComboRow          *header_row;
  AdwEntryRow          *header_text_row;
  AdwEntryRow          *header_example_row;
  AdwEntryRow          *header_binding_row;
  GtkTextView          *body_view;
  AdwPreferencesGroup  *params_group;
  AdwEntryRow          *footer_row;
  AdwPreferencesGroup  *buttons_group;
  GtkWidget            *media_box;
  GtkImage             *media_icon;
  GtkLabel             *media_label;
  GtkLabel             *header_label;
  GtkLabel             *body_label;
  GtkLabel             *footer_label;
  GtkBox               *preview_buttons_box;
  GtkWidget            *submit_button;
  GtkWidget            *refresh_button;

  TcRepository         *repository;
  TcTemplate           *template;
  GCancellable         *cancellable;
  /* Meta's template API, from the workspace settings; NULL until read. */
  TcWaTemplatesClient  *client;
  /* (element-type ParamRows) for {{1}}… */
  GArray               *params;
  /* (element-type ButtonRows) */
  GArray               *buttons;
  /* The rows now in problems_group, to remove them again. */
  GPtrArray            *problem_rows;
  /* The definition as loaded or last saved, to tell unsaved changes. */
  char                 *clean_definition;

  guint                 filling : 1;
  guint                 saving : 1;
  guint                 syncing : 1;
};

G_DEFINE_FINAL_TYPE (TcWaEditor, tc_wa_editor, GTK_TYPE_WIDGET)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update (TcWaEditor *self);

static const char *
nz (const char *text)
{
  return text != NULL ? text : "";
}

static const char *
text_of (GtkWidget *editable)
{
  return editable != NULL ? gtk_editable_get_text (GTK_EDITABLE (editable)) : "";
}

static char *
body_text (TcWaEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
toast (TcWaEditor *self,
       const char *text)
{
  /* The answer to what was just done replaces older news at once. */
  tc_toasts_say (GTK_WIDGET (self), text, 4);
}

static const char *
button_type_name (TcWaButtonType type)
{
  switch (type)
    {
    case TC_WA_BUTTON_QUICK_REPLY:
      return _("Quick reply");
    case TC_WA_BUTTON_URL:
      return _("Website");
    case TC_WA_BUTTON_PHONE_NUMBER:
      return _("Phone number");
    case TC_WA_BUTTON_COPY_CODE:
    default:
      return _("Copy offer code");
    }
}

static const char *
button_icon (TcWaButtonType type)
{
  switch (type)
    {
    case TC_WA_BUTTON_URL:
      return "send-to-symbolic";
    case TC_WA_BUTTON_PHONE_NUMBER:
      return "call-start-symbolic";
    case TC_WA_BUTTON_COPY_CODE:
      return "edit-copy-symbolic";
    case TC_WA_BUTTON_QUICK_REPLY:
    default:
      return "mail-reply-sender-symbolic";
    }
}

/* Empty fields are unset (NULL) in the model, as in a definition read
 * from JSON: the same template then serializes to the same text, and
 * saving it unchanged adds no version. */
static const char *
or_null (const char *text)
{
  return text != NULL && text[0] != '\0' ? text : NULL;
}

/* The model as the widgets describe it now. */
static TcWaTemplate *
build_model (TcWaEditor *self)
{
  g_autofree char *body = body_text (self);
  TcWaTemplate *model;

  model = tc_wa_template_new (text_of (GTK_WIDGET (self->name_row)),
                              text_of (GTK_WIDGET (self->language_row)),
                              (TcWaCategory) adw_combo_row_get_selected (self->category_row));
  tc_wa_template_set_header_format (model, (TcWaHeaderFormat) adw_combo_row_get_selected (self->header_row));
  tc_wa_template_set_header_text (model, or_null (text_of (GTK_WIDGET (self->header_text_row))));
  tc_wa_template_set_header_example (model, or_null (text_of (GTK_WIDGET (self->header_example_row))));
  tc_wa_template_set_header_binding (model, or_null (text_of (GTK_WIDGET (self->header_binding_row))));
  tc_wa_template_set_body (model, body);
  for (guint i = 0; i < self->params->len; i++)
    {
      ParamRows *rows = &g_array_index (self->params, ParamRows, i);

      tc_wa_template_set_body_param (model, i + 1, or_null (text_of (rows->example)),
                                     or_null (text_of (rows->binding)));
    }
  tc_wa_template_set_footer (model, or_null (text_of (GTK_WIDGET (self->footer_row))));
  for (guint i = 0; i < self->buttons->len; i++)
    {
      ButtonRows *rows = &g_array_index (self->buttons, ButtonRows, i);

      tc_wa_template_add_button (model, rows->type, or_null (text_of (rows->text)),
                                 or_null (text_of (rows->url)), or_null (text_of (rows->example)),
                                 or_null (text_of (rows->binding)));
    }
  /* The approval status is kept with the template, not in its
   * definition: a status change must never look like new content (which
   * would make a version and ask for approval again). */
  return model;
}

static GtkWidget *
entry_row (const char *title,
           const char *text,
           TcWaEditor *self)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  g_signal_connect_object (row, "changed", G_CALLBACK (update), self, G_CONNECT_SWAPPED);

  return row;
}

/* Adds or removes parameter rows so there is one pair per {{n}}; rows that
 * stay keep their text (and focus). */
static void
sync_params (TcWaEditor   *self,
             guint         n_params,
             TcWaTemplate *source)
{
  while (self->params->len > n_params)
    {
      ParamRows *rows = &g_array_index (self->params, ParamRows, self->params->len - 1);

      adw_preferences_group_remove (self->params_group, rows->example);
      adw_preferences_group_remove (self->params_group, rows->binding);
      g_array_set_size (self->params, self->params->len - 1);
    }

  while (self->params->len < n_params)
    {
      guint n = self->params->len + 1;
      g_autofree char *example_title = g_strdup_printf (_("{{%u}} example"), n);
      g_autofree char *binding_title = g_strdup_printf (_("{{%u}} value for each contact (e.g. {{first_name|there}})"), n);
      ParamRows rows;

      rows.example = entry_row (example_title,
                                source != NULL ? tc_wa_template_get_body_param_example (source, n) : NULL,
                                self);
      rows.binding = entry_row (binding_title,
                                source != NULL ? tc_wa_template_get_body_param_binding (source, n) : NULL,
                                self);
      adw_preferences_group_add (self->params_group, rows.example);
      adw_preferences_group_add (self->params_group, rows.binding);
      g_array_append_val (self->params, rows);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->params_group), n_params > 0);
}

static void
add_button_rows (TcWaEditor       *self,
                 TcWaButtonType    type,
                 const TcWaButton *source)
{
  ButtonRows rows = { 0 };
  GtkWidget *remove;
  g_autofree char *remove_label = NULL;
  guint index = self->buttons->len;

  rows.type = type;
  rows.expander = adw_expander_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rows.expander), button_type_name (type));
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (rows.expander),
                               gtk_image_new_from_icon_name (button_icon (type)));

  rows.text = entry_row (_("Label"), source != NULL ? source->text : NULL, self);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (rows.expander), rows.text);

  if (type == TC_WA_BUTTON_URL)
    rows.url = entry_row (_("URL (may end with {{1}})"), source != NULL ? source->url : NULL, self);
  else if (type == TC_WA_BUTTON_PHONE_NUMBER)
    rows.url = entry_row (_("Phone number (+15550100)"), source != NULL ? source->phone_number : NULL, self);
  if (rows.url != NULL)
    adw_expander_row_add_row (ADW_EXPANDER_ROW (rows.expander), rows.url);

  if (type == TC_WA_BUTTON_URL || type == TC_WA_BUTTON_COPY_CODE)
    {
      rows.example = entry_row (type == TC_WA_BUTTON_URL ? _("Example for {{1}}") : _("Example code"),
                                source != NULL ? source->example : NULL, self);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (rows.expander), rows.example);
    }
  if (type != TC_WA_BUTTON_PHONE_NUMBER)
    {
      rows.binding = entry_row (type == TC_WA_BUTTON_QUICK_REPLY ? _("Payload (optional, Mustache)")
                                                                 : _("Value for each contact (Mustache)"),
                                source != NULL ? source->binding : NULL, self);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (rows.expander), rows.binding);
    }

  /* Translators: %s is a button kind, e.g. "Quick reply" */
  remove_label = g_strdup_printf (_("Remove the %s button"), button_type_name (type));
  remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "editor.remove-button");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (remove), g_variant_new_int32 ((gint32) index));
  adw_expander_row_add_action (ADW_EXPANDER_ROW (rows.expander), remove);

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (rows.expander), source == NULL);
  adw_preferences_group_add (self->buttons_group, rows.expander);
  g_array_append_val (self->buttons, rows);
}

static void
clear_buttons (TcWaEditor *self)
{
  for (guint i = 0; i < self->buttons->len; i++)
    adw_preferences_group_remove (self->buttons_group,
                                  g_array_index (self->buttons, ButtonRows, i).expander);
  g_array_set_size (self->buttons, 0);
}

static AdwPreferencesGroup *
group_for_part (TcWaEditor *self,
                TcWaPart    part)
{
  switch (part)
    {
    case TC_WA_PART_NAME:
    case TC_WA_PART_LANGUAGE:
    case TC_WA_PART_CATEGORY:
      return self->general_group;
    case TC_WA_PART_HEADER:
      return self->header_group;
    case TC_WA_PART_BODY:
      return self->body_group;
    case TC_WA_PART_FOOTER:
      return self->footer_group;
    case TC_WA_PART_BUTTONS:
    case TC_WA_PART_BUTTON:
    default:
      return self->buttons_group;
    }
}

static GtkWidget *
problem_row (const char *title,
             const char *subtitle,
             const char *icon_name,
             const char *css_class)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);

  gtk_widget_add_css_class (icon, css_class);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_widget_add_css_class (row, "wa-problem");

  return row;
}

/* The summary at the top, and each problem in the group of the part it is
 * about (a button's problem under Buttons, …). */
static void
show_problems (TcWaEditor *self,
               GPtrArray  *problems)
{
  guint n = problems != NULL ? problems->len : 0;
  g_autofree char *summary = NULL;
  GtkWidget *row;

  for (guint i = 0; i < self->problem_rows->len; i++)
    {
      GtkWidget *old = g_ptr_array_index (self->problem_rows, i);
      GtkWidget *group = gtk_widget_get_ancestor (old, ADW_TYPE_PREFERENCES_GROUP);

      if (group != NULL)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), old);
    }
  g_ptr_array_set_size (self->problem_rows, 0);

  if (n == 0)
    row = problem_row (_("Ready to submit for approval"), NULL, "emblem-ok-symbolic", "success");
  else
    {
      summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%u problem to fix before Meta accepts the template",
                                              "%u problems to fix before Meta accepts the template",
                                              n),
                                 n);
      row = problem_row (summary, NULL, "dialog-warning-symbolic", "warning");
    }
  adw_preferences_group_add (self->problems_group, row);
  g_ptr_array_add (self->problem_rows, row);

  for (guint i = 0; i < n; i++)
    {
      const TcWaProblem *problem = g_ptr_array_index (problems, i);

      row = problem_row (problem->message, problem->rule, "dialog-warning-symbolic", "warning");
      adw_preferences_group_add (group_for_part (self, problem->part), row);
      g_ptr_array_add (self->problem_rows, row);
    }
}

static void
show_preview (TcWaEditor   *self,
              TcWaTemplate *model)
{
  g_autoptr(GPtrArray) examples = g_ptr_array_new ();
  g_autofree char *body = NULL;
  const char *header_example = text_of (GTK_WIDGET (self->header_example_row));
  TcWaHeaderFormat format = tc_wa_template_get_header_format (model);
  const char *footer = tc_wa_template_get_footer (model);
  GtkWidget *child;

  for (guint i = 0; i < self->params->len; i++)
    g_ptr_array_add (examples, (gpointer) text_of (g_array_index (self->params, ParamRows, i).example));
  g_ptr_array_add (examples, NULL);
  body = tc_editor_wa_fill_examples (nz (tc_wa_template_get_body (model)), (const char * const *) examples->pdata);
  gtk_label_set_text (self->body_label, body);

  gtk_widget_set_visible (GTK_WIDGET (self->header_label), format == TC_WA_HEADER_TEXT);
  if (format == TC_WA_HEADER_TEXT)
    {
      const char * const header_examples[] = { header_example, NULL };
      g_autofree char *header = tc_editor_wa_fill_examples (nz (tc_wa_template_get_header_text (model)),
                                                            header_examples);

      gtk_label_set_text (self->header_label, header);
    }

  gtk_widget_set_visible (self->media_box, format >= TC_WA_HEADER_IMAGE);
  if (format >= TC_WA_HEADER_IMAGE)
    {
      gtk_image_set_from_icon_name (self->media_icon,
                                    format == TC_WA_HEADER_IMAGE ? "image-x-generic-symbolic" :
                                    format == TC_WA_HEADER_VIDEO ? "video-x-generic-symbolic" :
                                                                   "x-office-document-symbolic");
      gtk_label_set_text (self->media_label, header_example[0] != '\0' ? header_example : _("Example media URL"));
    }

  gtk_widget_set_visible (GTK_WIDGET (self->footer_label), footer != NULL && footer[0] != '\0');
  gtk_label_set_text (self->footer_label, footer != NULL ? footer : "");

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->preview_buttons_box))) != NULL)
    gtk_box_remove (self->preview_buttons_box, child);
  for (guint i = 0; i < tc_wa_template_get_n_buttons (model); i++)
    {
      const TcWaButton *button = tc_wa_template_get_button (model, i);
      /* Not AdwButtonContent: that one wants a GtkButton around it. */
      GtkWidget *content = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *label_widget;
      const char *label = button->text != NULL && button->text[0] != '\0' ? button->text
                                                                          : button_type_name (button->type);

      if (button->type == TC_WA_BUTTON_COPY_CODE)
        label = _("Copy offer code");
      label_widget = gtk_label_new (label);
      gtk_box_append (GTK_BOX (content), gtk_image_new_from_icon_name (button_icon (button->type)));
      gtk_box_append (GTK_BOX (content), label_widget);
      /* Centred, as WhatsApp shows them. */
      gtk_widget_set_hexpand (label_widget, FALSE);
      gtk_box_set_homogeneous (GTK_BOX (content), FALSE);
      gtk_widget_set_halign (gtk_widget_get_first_child (content), GTK_ALIGN_END);
      gtk_widget_set_hexpand (gtk_widget_get_first_child (content), TRUE);
      gtk_widget_set_halign (label_widget, GTK_ALIGN_START);
      gtk_widget_set_hexpand (label_widget, TRUE);
      gtk_widget_add_css_class (content, "wa-button");
      gtk_box_append (self->preview_buttons_box, content);
    }
}

static void
update_header_rows (TcWaEditor *self)
{
  TcWaHeaderFormat format = (TcWaHeaderFormat) adw_combo_row_get_selected (self->header_row);

  gtk_widget_set_visible (GTK_WIDGET (self->header_text_row), format == TC_WA_HEADER_TEXT);
  gtk_widget_set_visible (GTK_WIDGET (self->header_example_row), format != TC_WA_HEADER_NONE);
  gtk_widget_set_visible (GTK_WIDGET (self->header_binding_row), format != TC_WA_HEADER_NONE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->header_example_row),
                                 format == TC_WA_HEADER_TEXT ? _("Example for {{1}}")
                                                             : _("Example media URL (https://…)"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->header_binding_row),
                                 format == TC_WA_HEADER_TEXT ? _("{{1}} value for each contact (Mustache)")
                                                             : _("Media URL for each message (Mustache)"));
}

static const char *
status_label (const char *status)
{
  if (g_strcmp0 (status, "approved") == 0)
    return _("approved");
  if (g_strcmp0 (status, "pending") == 0)
    return _("waiting for approval");
  if (g_strcmp0 (status, "rejected") == 0)
    return _("rejected");
  if (g_strcmp0 (status, "paused") == 0)
    return _("paused");
  if (g_strcmp0 (status, "disabled") == 0)
    return _("disabled");

  return _("draft");
}

static void
update_title (TcWaEditor *self)
{
  g_autofree char *subtitle = NULL;

  if (self->template == NULL)
    return;

  if (tc_template_get_id (self->template) == 0)
    subtitle = g_strdup (_("New WhatsApp template, not saved yet"));
  else if (tc_template_get_status_reason (self->template)[0] != '\0')
    subtitle = g_strdup_printf (_("WhatsApp · version %d · %s: %s"), tc_template_get_version (self->template),
                                status_label (tc_template_get_status (self->template)),
                                tc_template_get_status_reason (self->template));
  else
    subtitle = g_strdup_printf (_("WhatsApp · version %d · %s"), tc_template_get_version (self->template),
                                status_label (tc_template_get_status (self->template)));

  adw_window_title_set_title (self->window_title, text_of (GTK_WIDGET (self->name_row)));
  adw_window_title_set_subtitle (self->window_title, subtitle);
  /* A long rejection reason is cut in the title bar: whole here. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->window_title), subtitle);
}

/* Submit and Refresh need a token, a WABA id and a saved template; the
 * tooltip says which is missing. */
static void
update_sync_buttons (TcWaEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sentence = NULL;
  const char *why = NULL;
  gboolean submitted;

  if (self->template == NULL)
    return;

  submitted = g_strcmp0 (tc_template_get_status (self->template), "draft") != 0;
  if (self->client == NULL)
    why = _("Reading the WhatsApp settings…");
  else if (!tc_wa_templates_client_check_configured (self->client, &error))
    {
      /* The client's words start a CLI line; here they are a sentence. */
      sentence = g_strdup (error->message);
      sentence[0] = g_ascii_toupper (sentence[0]);
      why = sentence;
    }
  else if (tc_template_get_id (self->template) == 0)
    why = _("Save the template first");
  else if (self->syncing)
    why = _("Talking to Meta…");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.submit", why == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.refresh", why == NULL && submitted);
  gtk_widget_set_tooltip_text (self->submit_button,
                               why != NULL ? why : _("Send this template to Meta for approval"));
  gtk_widget_set_tooltip_text (self->refresh_button,
                               why != NULL ? why
                               : submitted ? _("Refresh Status: ask Meta whether the template is approved")
                               : _("Submit the template for approval first"));
}

static void
update (TcWaEditor *self)
{
  g_autoptr(TcWaTemplate) model = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *body = NULL;

  if (self->filling || self->template == NULL)
    return;

  body = body_text (self);
  sync_params (self, MIN (tc_editor_wa_count_params (body), 20), NULL);
  update_header_rows (self);

  model = build_model (self);
  tc_wa_template_validate (model, &problems, NULL);
  show_problems (self, problems);
  show_preview (self, model);
  update_title (self);
  update_sync_buttons (self);
}

static char *
current_definition (TcWaEditor *self)
{
  g_autoptr(TcWaTemplate) model = build_model (self);
  g_autoptr(JsonNode) json = tc_wa_template_to_json (model);

  return json_to_string (json, TRUE);
}

static void
on_changed_cb (TcWaEditor *self)
{
  update (self);
}

static void
on_template_saved_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(TcWaEditor) self = user_data;
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
    text = g_strdup_printf (_("No changes: still version %d"), tc_template_get_version (self->template));
  toast (self, text);
  update_title (self);
  g_free (self->clean_definition);
  self->clean_definition = g_strdup (tc_template_get_definition (self->template));
  g_signal_emit (self, signals[SAVED], 0, self->template);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TcWaEditor *self = TC_WA_EDITOR (widget);
  g_autoptr(TcWaTemplate) model = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *definition = NULL;
  g_autofree char *name = NULL;

  if (self->template == NULL || self->repository == NULL || self->saving)
    return;

  name = g_strstrip (g_strdup (text_of (GTK_WIDGET (self->name_row))));
  if (name[0] == '\0')
    {
      toast (self, _("Give the template a name first"));
      gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
      return;
    }

  /* A draft may break Meta's rules: it is saved all the same, and the
   * problems stay listed until they are fixed. */
  model = build_model (self);
  json = tc_wa_template_to_json (model);
  definition = json_to_string (json, TRUE);

  tc_template_set_name (self->template, name);
  tc_template_set_language (self->template, tc_wa_template_get_language (model));
  tc_template_set_definition (self->template, definition);
  tc_template_set_purpose (self->template,
                           tc_wa_template_get_category (model) == TC_WA_CATEGORY_MARKETING
                             ? TC_PURPOSE_PROMOTIONAL : TC_PURPOSE_TRANSACTIONAL);

  self->saving = TRUE;
  gtk_widget_action_set_enabled (widget, "editor.save", FALSE);
  tc_repository_save_template_async (self->repository, self->template, self->cancellable,
                                     on_template_saved_cb, g_object_ref (self));
}

static void
copy_json_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TcWaEditor *self = TC_WA_EDITOR (widget);
  g_autoptr(TcWaTemplate) model = build_model (self);
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  request = tc_wa_template_build_create_request (model, &error);
  if (request == NULL)
    {
      g_autofree char *line = g_strdup_printf (_("Fix this first: %s"), error->message);

      toast (self, line);
      return;
    }

  text = json_to_string (request, TRUE);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  toast (self, _("Copied the create request to the clipboard"));
}

static void
sync_failed (TcWaEditor   *self,
             const char   *what,
             const GError *error)
{
  g_autofree char *reason = NULL;
  g_autofree char *text = NULL;

  reason = error->domain == TC_WA_CLIENT_ERROR || error->domain == TC_WA_TEMPLATE_ERROR
             ? g_strdup (error->message) : tc_gui_describe_error (error);
  text = g_strdup_printf ("%s: %s", what, reason);
  toast (self, text);
}

static void
on_status_stored_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(TcWaEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  self->syncing = FALSE;
  if (!tc_wa_template_state_store_finish (TC_REPOSITORY (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        sync_failed (self, _("Could not store the approval status"), error);
      update_sync_buttons (self);
      return;
    }

  update_title (self);
  update_sync_buttons (self);
  g_signal_emit (self, signals[SAVED], 0, self->template);
}

static void
on_synced_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TcWaEditor) self = user_data;
  TcWaTemplatesClient *client = TC_WA_TEMPLATES_CLIENT (object);
  g_autoptr(TcWaTemplateState) state = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  g_autofree char *text = NULL;
  gboolean submitted = g_task_get_source_tag (G_TASK (result)) == tc_wa_templates_client_submit_async;

  if (submitted)
    state = tc_wa_templates_client_submit_finish (client, result, &error);
  else
    state = tc_wa_templates_client_refresh_finish (client, result, &error);

  if (state == NULL || self->template == NULL || self->repository == NULL)
    {
      self->syncing = FALSE;
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        sync_failed (self, submitted ? _("Could not submit") : _("Could not refresh the status"), error);
      update_sync_buttons (self);
      return;
    }

  status = tc_wa_template_state_stored_status (state);
  tc_template_set_status (self->template, status);
  tc_template_set_status_reason (self->template, state->reason);
  if (state->reason[0] != '\0')
    text = g_strdup_printf (submitted ? _("Submitted to Meta: %s (%s)") : _("Meta says: %s (%s)"),
                            status_label (status), state->reason);
  else
    text = g_strdup_printf (submitted ? _("Submitted to Meta: %s") : _("Meta says: %s"), status_label (status));
  toast (self, text);

  tc_wa_template_state_store_async (state, self->repository, tc_template_get_id (self->template),
                                    self->cancellable, on_status_stored_cb, g_object_ref (self));
}

static void
sync_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TcWaEditor *self = TC_WA_EDITOR (widget);
  g_autoptr(TcWaTemplate) model = NULL;

  if (self->template == NULL || self->client == NULL || self->syncing)
    return;

  /* Meta gets what is stored, so that the status belongs to that text. */
  if (tc_wa_editor_has_changes (self))
    {
      toast (self, _("Save the template first"));
      return;
    }

  model = build_model (self);
  self->syncing = TRUE;
  update_sync_buttons (self);
  if (g_str_equal (action_name, "editor.submit"))
    tc_wa_templates_client_submit_async (self->client, model, self->cancellable,
                                         on_synced_cb, g_object_ref (self));
  else
    tc_wa_templates_client_refresh_async (self->client, tc_wa_template_get_name (model),
                                          tc_wa_template_get_language (model), self->cancellable,
                                          on_synced_cb, g_object_ref (self));
}

static void
on_client_ready_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(TcWaEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  TcWaTemplatesClient *client;

  client = tc_wa_templates_client_new_from_settings_finish (result, &error);
  if (client == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        sync_failed (self, _("Could not read the WhatsApp settings"), error);
      return;
    }

  g_clear_object (&self->client);
  self->client = client;
  update_sync_buttons (self);
}

static void
add_button_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TcWaEditor *self = TC_WA_EDITOR (widget);
  gint32 type = g_variant_get_int32 (parameter);

  if (type < TC_WA_BUTTON_QUICK_REPLY || type > TC_WA_BUTTON_COPY_CODE)
    return;

  add_button_rows (self, (TcWaButtonType) type, NULL);
  update (self);
}

static void
load_buttons (TcWaEditor   *self,
              TcWaTemplate *model)
{
  clear_buttons (self);
  for (guint i = 0; i < tc_wa_template_get_n_buttons (model); i++)
    {
      const TcWaButton *button = tc_wa_template_get_button (model, i);

      add_button_rows (self, button->type, button);
    }
}

static void
remove_button_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  TcWaEditor *self = TC_WA_EDITOR (widget);
  gint32 index = g_variant_get_int32 (parameter);
  g_autoptr(TcWaTemplate) model = NULL;

  if (index < 0 || (guint) index >= self->buttons->len)
    return;

  /* Rebuilt from the model, so that the remove buttons' indexes stay right. */
  model = build_model (self);
  tc_wa_template_remove_button (model, (guint) index);
  self->filling = TRUE;
  load_buttons (self, model);
  self->filling = FALSE;
  update (self);
}

static void
tc_wa_editor_dispose (GObject *object)
{
  TcWaEditor *self = (TcWaEditor *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TC_TYPE_WA_EDITOR);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->repository);
  g_clear_object (&self->template);
  g_clear_object (&self->client);
  g_clear_pointer (&self->problem_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (tc_wa_editor_parent_class)->dispose (object);
}

static void
tc_wa_editor_finalize (GObject *object)
{
  TcWaEditor *self = (TcWaEditor *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->params, g_array_unref);
  g_clear_pointer (&self->buttons, g_array_unref);
  g_clear_pointer (&self->clean_definition, g_free);

  G_OBJECT_CLASS (tc_wa_editor_parent_class)->finalize (object);
}

static void
tc_wa_editor_class_init (TcWaEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tc_wa_editor_dispose;
  object_class->finalize = tc_wa_editor_finalize;

  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TC_TYPE_TEMPLATE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/textcast/Textcast/tc-wa-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, TcWaEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, TcWaEditor, problems_group);
  gtk_widget_class_bind_template_child (widget_class, TcWaEditor, general_group);
  gtk_widget_class_bind_template_child (widget_class, TcWaEditor, header_group);
  gtk_widget_class_bind_template_child (widget_class, TcWaEditor, body_group);
  gtk_widget_class_bind_template_child (widget_class, TcWaEditor, footer_group);
  gtk_widget_class_bind_template_child (widget_class, TcWaEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, TcWaEditor, language_row);
  gtk_widget_class_bind_template_child (widget_class, TcWaEditor, category_row);
  gtk_widget_class_bind_template_child (widget_class, TcWaEditor, header_row);
  gtk_widget_class_bind_template_child (widget_class, TcWaEditor, header_text_row);
  gtk_widget_class_bind_template_child (widget_class, TcWaEditor, header_example_row);
  gtk_widget_class_bind_template_child (widget_class, TcWaEditor, header_binding_row);
  gtk_widget_class_bind_template_child (widget_class, TcWaEditor, body_view);
  gtk_widget_class_bind_template_child (widget_class, TcWaEditor, params_group);
  gtk_widget_class_bind_template_child (widget_class, TcWaEditor, footer_row);
  gtk_widget_class_bind_template_child (widget_class, TcWaEditor, buttons_group);
  gtk_widget_class_bind_template_child (widget_class, TcWaEditor, media_box);
  gtk_widget_class_bind_template_child (widget_class, TcWaEditor, media_icon);
  gtk_widget_class_bind_template_child (widget_class, TcWaEditor, media_label);
  gtk_widget_class_bind_template_child (widget_class, TcWaEditor, header_label);
  gtk_widget_class_bind_template_child (widget_class, TcWaEditor, body_label);
  gtk_widget_class_bind_template_child (widget_class, TcWaEditor, footer_label);
  gtk_widget_class_bind_template_child (widget_class, TcWaEditor, preview_buttons_box);
  gtk_widget_class_bind_template_child (widget_class, TcWaEditor, submit_button);
  gtk_widget_class_bind_template_child (widget_class, TcWaEditor, refresh_button);
  gtk_widget_class_bind_template_callback (widget_class, on_changed_cb);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.copy-json", NULL, copy_json_action);
  gtk_widget_class_install_action (widget_class, "editor.submit", NULL, sync_action);
  gtk_widget_class_install_action (widget_class, "editor.refresh", NULL, sync_action);
  gtk_widget_class_install_action (widget_class, "editor.add-button", "i", add_button_action);
  gtk_widget_class_install_action (widget_class, "editor.remove-button", "i", remove_button_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tc_wa_editor_init (TcWaEditor *self)
{
  self->cancellable = g_cancellable_new ();
  self->params = g_array_new (FALSE, TRUE, sizeof (ParamRows));
  self->buttons = g_array_new (FALSE, TRUE, sizeof (ButtonRows));
  self->problem_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (gtk_text_view_get_buffer (self->body_view), "changed",
                           G_CALLBACK (on_changed_cb), self, G_CONNECT_SWAPPED);
}

void
tc_wa_editor_edit (TcWaEditor   *self,
                   TcRepository *repository,
                   TcTemplate   *template)
{
  g_autoptr(TcWaTemplate) model = NULL;
  const char *definition;
  g_autofree char *body = NULL;

  g_return_if_fail (TC_IS_WA_EDITOR (self));
  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (TC_IS_TEMPLATE (template));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->saving = FALSE;
  self->syncing = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", TRUE);

  g_set_object (&self->repository, repository);
  /* The settings may have changed since the last template: read anew. */
  g_clear_object (&self->client);
  tc_wa_templates_client_new_from_settings_async (repository, self->cancellable,
                                                  on_client_ready_cb, g_object_ref (self));
  g_clear_object (&self->template);
  self->template = tc_template_copy (template);

  definition = tc_template_get_definition (template);
  if (definition[0] != '\0')
    {
      g_autoptr(JsonNode) node = json_from_string (definition, NULL);
      g_autoptr(GError) error = NULL;

      if (node != NULL)
        model = tc_wa_template_new_from_json (node, &error);
      if (model == NULL)
        toast (self, _("The stored definition could not be read: starting from an empty template"));
    }
  if (model == NULL)
    model = tc_wa_template_new (tc_template_get_name (template), tc_template_get_language (template),
                                TC_WA_CATEGORY_MARKETING);

  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), tc_template_get_name (template));
  gtk_editable_set_text (GTK_EDITABLE (self->language_row), nz (tc_wa_template_get_language (model)));
  adw_combo_row_set_selected (self->category_row, tc_wa_template_get_category (model));
  adw_combo_row_set_selected (self->header_row, tc_wa_template_get_header_format (model));
  gtk_editable_set_text (GTK_EDITABLE (self->header_text_row), nz (tc_wa_template_get_header_text (model)));
  gtk_editable_set_text (GTK_EDITABLE (self->header_example_row), nz (tc_wa_template_get_header_example (model)));
  gtk_editable_set_text (GTK_EDITABLE (self->header_binding_row), nz (tc_wa_template_get_header_binding (model)));
  gtk_text_buffer_begin_irreversible_action (gtk_text_view_get_buffer (self->body_view));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->body_view), nz (tc_wa_template_get_body (model)), -1);
  gtk_text_buffer_end_irreversible_action (gtk_text_view_get_buffer (self->body_view));
  gtk_editable_set_text (GTK_EDITABLE (self->footer_row), nz (tc_wa_template_get_footer (model)));
  body = body_text (self);
  sync_params (self, 0, NULL);
  sync_params (self, MIN (tc_editor_wa_count_params (body), 20), model);
  load_buttons (self, model);
  self->filling = FALSE;

  g_free (self->clean_definition);
  self->clean_definition = tc_template_get_id (template) != 0 ? current_definition (self) : NULL;
  update (self);
}

void
tc_wa_editor_focus (TcWaEditor *self)
{
  g_return_if_fail (TC_IS_WA_EDITOR (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->body_view));
}

gboolean
tc_wa_editor_has_changes (TcWaEditor *self)
{
  g_autofree char *definition = NULL;
  g_autofree char *body = NULL;

  g_return_val_if_fail (TC_IS_WA_EDITOR (self), FALSE);

  if (self->template == NULL)
    return FALSE;

  /* A new template counts as changed once its body has text. */
  if (self->clean_definition == NULL)
    {
      body = body_text (self);
      return body[0] != '\0';
    }

  definition = current_definition (self);

  return g_strcmp0 (definition, self->clean_definition) != 0;
}
