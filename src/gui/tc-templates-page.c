/* tc-templates-page.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-templates-page"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "tc-gui-util.h"
#include "tc-repository.h"
#include "tc-sms-editor.h"
#include "tc-template-store.h"
#include "tc-template.h"
#include "tc-templates-page.h"
#include "tc-wa-editor.h"
#include "tc-toasts.h"

struct _TcTemplatesPage
{
  GtkWidget      parent_instance;

  /* Template widgets */
  GtkStack      *stack;
  GtkStack      *list_stack;
  GtkSpinner    *spinner;
  GtkBox        *sections_box;
  GtkWidget     *empty_new_sms_button;
  TcSmsEditor   *sms_editor;
  TcWaEditor    *wa_editor;

  TcRepository  *repository;
  /* The templates on show (element-type TcTemplate), for names and for
   * the delete confirmation. */
  GPtrArray     *templates;
  GCancellable  *cancellable;

  guint          folded : 1;
  guint          loaded : 1;
};

G_DEFINE_FINAL_TYPE (TcTemplatesPage, tc_templates_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_FOLDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reload (TcTemplatesPage *self);

static void
toast (TcTemplatesPage *self,
       const char      *text)
{
  /* The answer to what was just done replaces older news at once. */
  tc_toasts_say (GTK_WIDGET (self), text, 4);
}

static void
toast_error (TcTemplatesPage *self,
             const char      *what,
             const GError    *error)
{
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* The store's constraint messages are written for people already. */
  if (g_error_matches (error, TC_DB_ERROR, TC_DB_ERROR_CONSTRAINT))
    text = g_strdup (error->message);
  else
    text = tc_gui_describe_error (error);
  line = g_strdup_printf ("%s: %s", what, text);
  toast (self, line);
}

static TcTemplate *
find_loaded (TcTemplatesPage *self,
             gint64           id)
{
  for (guint i = 0; self->templates != NULL && i < self->templates->len; i++)
    {
      TcTemplate *template = g_ptr_array_index (self->templates, i);

      if (tc_template_get_id (template) == id)
        return template;
    }

  return NULL;
}

static const char *
status_label (TcTemplate *template)
{
  const char *status = tc_template_get_status (template);

  if (g_strcmp0 (status, "approved") == 0)
    return _("Approved");
  if (g_strcmp0 (status, "pending") == 0)
    return _("Waiting for approval");
  if (g_strcmp0 (status, "rejected") == 0)
    return _("Rejected");
  if (g_strcmp0 (status, "paused") == 0)
    return _("Paused");
  if (g_strcmp0 (status, "disabled") == 0)
    return _("Disabled");

  return _("Draft");
}

static char *
row_subtitle (TcTemplate *template)
{
  g_autofree char *version = g_strdup_printf (_("Version %d"), tc_template_get_version (template));

  switch (tc_template_get_kind (template))
    {
    case TC_TEMPLATE_KIND_SMS:
      return g_strdup_printf ("%s · %s", version,
                              tc_gui_purpose_name (tc_template_get_purpose (template)));
    case TC_TEMPLATE_KIND_WHATSAPP:
      return g_strdup_printf ("%s · %s", version, status_label (template));
    case TC_TEMPLATE_KIND_SNIPPET:
    default:
      {
        g_autofree char *tag = g_strdup_printf ("{{> %s}}", tc_template_get_name (template));

        return g_strdup_printf ("%s · %s", version, tag);
      }
    }
}

static GtkWidget *
icon_button (const char *icon_name,
             const char *label,
             const char *action_name,
             gint64      id)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_int64 (id));

  return button;
}

static GtkWidget *
new_row (TcTemplate *template)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = row_subtitle (template);
  g_autofree char *duplicate_label = NULL;
  g_autofree char *delete_label = NULL;
  gint64 id = tc_template_get_id (template);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), tc_template_get_name (template));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "templates.open");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row), g_variant_new_int64 (id));

  /* Translators: %s is a template's name */
  duplicate_label = g_strdup_printf (_("Duplicate “%s”"), tc_template_get_name (template));
  /* Translators: %s is a template's name */
  delete_label = g_strdup_printf (_("Delete “%s”"), tc_template_get_name (template));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             icon_button ("edit-copy-symbolic", duplicate_label,
                                          "templates.duplicate", id));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             icon_button ("user-trash-symbolic", delete_label,
                                          "templates.delete", id));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));

  return row;
}

static void
add_section (TcTemplatesPage *self,
             TcTemplateKind   kind,
             const char      *title)
{
  GtkWidget *box = NULL;
  GtkWidget *list = NULL;

  for (guint i = 0; i < self->templates->len; i++)
    {
      TcTemplate *template = g_ptr_array_index (self->templates, i);

      if (tc_template_get_kind (template) != kind)
        continue;

      if (list == NULL)
        {
          GtkWidget *label = gtk_label_new (title);

          box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
          gtk_label_set_xalign (GTK_LABEL (label), 0);
          gtk_widget_add_css_class (label, "heading");
          gtk_box_append (GTK_BOX (box), label);

          list = gtk_list_box_new ();
          gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
          gtk_widget_add_css_class (list, "boxed-list");
          gtk_accessible_update_property (GTK_ACCESSIBLE (list),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                          -1);
          gtk_box_append (GTK_BOX (box), list);
          gtk_box_append (self->sections_box, box);
        }
      gtk_list_box_append (GTK_LIST_BOX (list), new_row (template));
    }
}

static void
show_templates (TcTemplatesPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sections_box))) != NULL)
    gtk_box_remove (self->sections_box, child);

  add_section (self, TC_TEMPLATE_KIND_SMS, _("SMS"));
  add_section (self, TC_TEMPLATE_KIND_WHATSAPP, _("WhatsApp"));
  add_section (self, TC_TEMPLATE_KIND_SNIPPET, _("Snippets"));

  gtk_stack_set_visible_child_name (self->list_stack,
                                    self->templates->len > 0 ? "items" : "empty");
}

static void
on_templates_listed_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(TcTemplatesPage) self = user_data;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GError) error = NULL;

  templates = tc_repository_list_templates_finish (TC_REPOSITORY (object), result, &error);
  if (templates == NULL)
    {
      toast_error (self, _("Could not load the templates"), error);
      return;
    }

  gtk_spinner_stop (self->spinner);
  g_clear_pointer (&self->templates, g_ptr_array_unref);
  self->templates = g_steal_pointer (&templates);
  self->loaded = TRUE;
  show_templates (self);
}

static void
reload (TcTemplatesPage *self)
{
  if (self->repository == NULL)
    return;

  if (!self->loaded)
    {
      gtk_spinner_start (self->spinner);
      gtk_stack_set_visible_child_name (self->list_stack, "loading");
    }

  tc_repository_list_templates_async (self->repository, -1, self->cancellable,
                                      on_templates_listed_cb, g_object_ref (self));
}

/* "Untitled SMS Template", "Untitled SMS Template 2", … unused so far. */
static char *
untitled_name (TcTemplatesPage *self,
               TcTemplateKind   kind)
{
  const char *base;

  switch (kind)
    {
    case TC_TEMPLATE_KIND_SMS:
      base = _("Untitled SMS Template");
      break;
    case TC_TEMPLATE_KIND_WHATSAPP:
      /* Meta's rule: lowercase letters, digits and underscores. */
      base = "untitled_template";
      break;
    case TC_TEMPLATE_KIND_SNIPPET:
    default:
      base = _("untitled_snippet");
      break;
    }

  for (guint n = 1; ; n++)
    {
      g_autofree char *name = NULL;
      gboolean taken = FALSE;

      if (n == 1)
        name = g_strdup (base);
      else if (kind == TC_TEMPLATE_KIND_SMS)
        name = g_strdup_printf ("%s %u", base, n);
      else
        name = g_strdup_printf ("%s_%u", base, n);

      for (guint i = 0; self->templates != NULL && i < self->templates->len && !taken; i++)
        {
          TcTemplate *other = g_ptr_array_index (self->templates, i);

          taken = tc_template_get_kind (other) == kind &&
                  g_strcmp0 (tc_template_get_name (other), name) == 0;
        }
      if (!taken)
        return g_steal_pointer (&name);
    }
}

static void
open_editor (TcTemplatesPage *self,
             TcTemplate      *template)
{
  if (tc_template_get_kind (template) == TC_TEMPLATE_KIND_WHATSAPP)
    {
      tc_wa_editor_edit (self->wa_editor, self->repository, template);
      gtk_stack_set_visible_child_name (self->stack, "wa-editor");
      tc_wa_editor_focus (self->wa_editor);
    }
  else
    {
      tc_sms_editor_edit (self->sms_editor, self->repository, template);
      gtk_stack_set_visible_child_name (self->stack, "sms-editor");
      tc_sms_editor_focus (self->sms_editor);
    }
}

static void
new_template (TcTemplatesPage *self,
              TcTemplateKind   kind)
{
  g_autofree char *name = NULL;
  g_autoptr(TcTemplate) template = NULL;

  if (self->repository == NULL)
    return;

  name = untitled_name (self, kind);
  template = tc_template_new (kind, name);
  if (kind == TC_TEMPLATE_KIND_WHATSAPP)
    tc_template_set_language (template, "en_US");
  open_editor (self, template);
}

static void
on_editor_saved_cb (TcTemplatesPage *self,
                    TcTemplate      *template)
{
  reload (self);
}

static void
on_template_loaded_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(TcTemplatesPage) self = user_data;
  g_autoptr(TcTemplate) template = NULL;
  g_autoptr(GError) error = NULL;

  template = tc_repository_get_template_finish (TC_REPOSITORY (object), result, &error);
  if (template == NULL)
    {
      toast_error (self, _("Could not open the template"), error);
      reload (self);
      return;
    }

  open_editor (self, template);
}

static void
on_template_duplicated_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(TcTemplatesPage) self = user_data;
  g_autoptr(TcTemplate) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  copy = tc_repository_duplicate_template_finish (TC_REPOSITORY (object), result, &error);
  if (copy == NULL)
    {
      toast_error (self, _("Could not duplicate the template"), error);
      return;
    }

  /* Translators: %s is the new template's name */
  text = g_strdup_printf (_("Created “%s”"), tc_template_get_name (copy));
  toast (self, text);
  reload (self);
}

static void
on_template_deleted_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(TcTemplatesPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tc_repository_delete_template_finish (TC_REPOSITORY (object), result, &error))
    toast_error (self, _("Could not delete the template"), error);
  else
    toast (self, _("Template deleted"));

  reload (self);
}

static void
on_delete_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       TcTemplatesPage  *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "template-id"));

  if (g_strcmp0 (response, "delete") != 0 || self->repository == NULL)
    return;

  tc_repository_delete_template_async (self->repository, id, self->cancellable,
                                       on_template_deleted_cb, g_object_ref (self));
}

static void
new_sms_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  new_template (TC_TEMPLATES_PAGE (widget), TC_TEMPLATE_KIND_SMS);
}

static void
new_whatsapp_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  new_template (TC_TEMPLATES_PAGE (widget), TC_TEMPLATE_KIND_WHATSAPP);
}

static void
new_snippet_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  new_template (TC_TEMPLATES_PAGE (widget), TC_TEMPLATE_KIND_SNIPPET);
}

static void
on_discard_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        TcTemplatesPage  *self)
{
  if (g_strcmp0 (response, "discard") == 0)
    tc_templates_page_show_list (self);
}

static gboolean
editor_has_changes (TcTemplatesPage *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (g_strcmp0 (page, "sms-editor") == 0)
    return tc_sms_editor_has_changes (self->sms_editor);
  if (g_strcmp0 (page, "wa-editor") == 0)
    return tc_wa_editor_has_changes (self->wa_editor);

  return FALSE;
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TcTemplatesPage *self = TC_TEMPLATES_PAGE (widget);
  GtkWidget *dialog;

  if (!editor_has_changes (self))
    {
      tc_templates_page_show_list (self);
      return;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _("Discard Unsaved Changes?"),
                                   _("The template has changes that were not saved. Save with Ctrl+S to keep them as a new version."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_discard_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TcTemplatesPage *self = TC_TEMPLATES_PAGE (widget);

  if (self->repository == NULL)
    return;

  tc_repository_get_template_async (self->repository, g_variant_get_int64 (parameter), 0,
                                    self->cancellable, on_template_loaded_cb, g_object_ref (self));
}

static void
duplicate_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TcTemplatesPage *self = TC_TEMPLATES_PAGE (widget);

  if (self->repository == NULL)
    return;

  tc_repository_duplicate_template_async (self->repository, g_variant_get_int64 (parameter),
                                          self->cancellable, on_template_duplicated_cb,
                                          g_object_ref (self));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TcTemplatesPage *self = TC_TEMPLATES_PAGE (widget);
  gint64 id = g_variant_get_int64 (parameter);
  TcTemplate *template = find_loaded (self, id);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (template == NULL)
    return;

  /* Translators: %s is a template's name */
  heading = g_strdup_printf (_("Delete “%s”?"), tc_template_get_name (template));
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Its %d version is deleted too. This cannot be undone.",
                                       "All its %d versions are deleted too. This cannot be undone.",
                                       tc_template_get_version (template)),
                          tc_template_get_version (template));

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "template-id", GSIZE_TO_POINTER ((gsize) id));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
tc_templates_page_dispose (GObject *object)
{
  TcTemplatesPage *self = (TcTemplatesPage *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TC_TYPE_TEMPLATES_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->repository);
  g_clear_pointer (&self->templates, g_ptr_array_unref);

  G_OBJECT_CLASS (tc_templates_page_parent_class)->dispose (object);
}

static void
tc_templates_page_finalize (GObject *object)
{
  TcTemplatesPage *self = (TcTemplatesPage *)object;

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (tc_templates_page_parent_class)->finalize (object);
}

static void
tc_templates_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TcTemplatesPage *self = TC_TEMPLATES_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_templates_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TcTemplatesPage *self = TC_TEMPLATES_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      tc_templates_page_set_folded (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_templates_page_class_init (TcTemplatesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tc_templates_page_dispose;
  object_class->finalize = tc_templates_page_finalize;
  object_class->get_property = tc_templates_page_get_property;
  object_class->set_property = tc_templates_page_set_property;

  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TC_TYPE_SMS_EDITOR);
  g_type_ensure (TC_TYPE_WA_EDITOR);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/textcast/Textcast/tc-templates-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TcTemplatesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TcTemplatesPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, TcTemplatesPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, TcTemplatesPage, sections_box);
  gtk_widget_class_bind_template_child (widget_class, TcTemplatesPage, empty_new_sms_button);
  gtk_widget_class_bind_template_child (widget_class, TcTemplatesPage, sms_editor);
  gtk_widget_class_bind_template_child (widget_class, TcTemplatesPage, wa_editor);
  gtk_widget_class_bind_template_callback (widget_class, on_editor_saved_cb);

  gtk_widget_class_install_action (widget_class, "templates.new-sms", NULL, new_sms_action);
  gtk_widget_class_install_action (widget_class, "templates.new-whatsapp", NULL, new_whatsapp_action);
  gtk_widget_class_install_action (widget_class, "templates.new-snippet", NULL, new_snippet_action);
  gtk_widget_class_install_action (widget_class, "templates.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "templates.open", "x", open_action);
  gtk_widget_class_install_action (widget_class, "templates.duplicate", "x", duplicate_action);
  gtk_widget_class_install_action (widget_class, "templates.delete", "x", delete_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "templates.new-sms", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "templates.back", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tc_templates_page_init (TcTemplatesPage *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

void
tc_templates_page_set_repository (TcTemplatesPage *self,
                                  TcRepository    *repository)
{
  g_return_if_fail (TC_IS_TEMPLATES_PAGE (self));
  g_return_if_fail (!repository || TC_IS_REPOSITORY (repository));

  if (!g_set_object (&self->repository, repository))
    return;

  self->loaded = FALSE;
  reload (self);
}

gboolean
tc_templates_page_get_folded (TcTemplatesPage *self)
{
  g_return_val_if_fail (TC_IS_TEMPLATES_PAGE (self), FALSE);

  return self->folded;
}

void
tc_templates_page_set_folded (TcTemplatesPage *self,
                              gboolean         folded)
{
  g_return_if_fail (TC_IS_TEMPLATES_PAGE (self));

  folded = !!folded;
  if (self->folded == folded)
    return;

  self->folded = folded;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDED]);
}

void
tc_templates_page_show_list (TcTemplatesPage *self)
{
  g_return_if_fail (TC_IS_TEMPLATES_PAGE (self));

  gtk_stack_set_visible_child_name (self->stack, "list");
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->list_stack), "empty") == 0)
    gtk_widget_grab_focus (self->empty_new_sms_button);
  else
    gtk_widget_child_focus (GTK_WIDGET (self->sections_box), GTK_DIR_TAB_FORWARD);
}
