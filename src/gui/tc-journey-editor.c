/* tc-journey-editor.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page is built in code rather than from a template: apart from its
 * frame, everything on it follows the data — the palette the node kinds,
 * the inspector the selected node's kind and config, the lists the
 * store's answers.
 *
 * The inspector edits through TcJourneyEditorLogic like the canvas does,
 * so every change is an undo step. It is rebuilt when what it shows
 * changed (another node, an undo), but not while it is the one editing,
 * so typing keeps the focus.
 */

#define G_LOG_DOMAIN "tc-journey-editor"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "tc-application.h"
#include "tc-gui-util.h"
#include "tc-journey-canvas.h"
#include "tc-journey-editor-logic.h"
#include "tc-journey-editor.h"
#include "tc-journey-library.h"
#include "tc-journey-runner.h"
#include "tc-journey-store.h"
#include "tc-template-store.h"
#include "tc-template.h"
#include "tc-wa-templates-simulated.h"
#include "tc-toasts.h"

struct _TcJourneyEditor
{
  GtkWidget             parent_instance;

  GtkWidget            *stack;
  /* The list. */
  GtkWidget            *list_back_button;
  GtkListBox           *journeys_list;
  GtkListBox           *library_list;
  /* The editor. */
  GtkWidget            *editor_back_button;
  AdwWindowTitle       *title;
  GtkListBox           *palette;
  TcJourneyCanvas      *canvas;
  GtkWidget            *zoom_button;
  GtkWidget            *activate_button;
  GtkWidget            *inspector;
  GtkListBox           *problems_list;
  GtkLabel             *problems_heading;

  TcRepository         *repository;
  GCancellable         *cancellable;
  TcJourneyEditorLogic *logic;
  TcJourney            *journey;
  /* Templates by kind ("sms", "whatsapp"): name → TcTemplate. */
  GHashTable           *sms_templates;
  GHashTable           *whatsapp_templates;

  char                 *inspected_id;
  char                 *inspected_signature;
  guint                 inspector_idle;
  guint                 problems_idle;
  GtkLabel             *inspector_error;

  guint                 inspector_log_source;

  /* Live statistics of the open journey, read every few seconds. */
  guint                 stats_source;
  GCancellable         *stats_cancellable;

  gboolean              folded;
  guint                 filling : 1;   /* the inspector is being built */
  guint                 editing : 1;   /* the inspector is changing the journey */
  guint                 meta_modified : 1;
  guint                 activate_after_save : 1;
  guint                 close_after_save : 1;  /* the window closes once saved */
  guint                 asking : 1;            /* the "Save Changes?" dialog is open */
};

G_DEFINE_FINAL_TYPE (TcJourneyEditor, tc_journey_editor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_FOLDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void rebuild_inspector (TcJourneyEditor *self);
static gboolean log_inspector_cb (gpointer user_data);
static void force_inspector   (TcJourneyEditor *self);
static void reload_list       (TcJourneyEditor *self);
static void save              (TcJourneyEditor *self);

/* Helpers */

static void
toast (TcJourneyEditor *self,
       const char      *text)
{
  /* The answer to what was just done replaces older news at once. */
  tc_toasts_say (GTK_WIDGET (self), text, 4);
}

static void
toast_error (TcJourneyEditor *self,
             const char      *what,
             const GError    *error)
{
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* The journey's own messages name the step and the value already. */
  if (error->domain == TC_JOURNEY_ERROR)
    text = g_strdup (error->message);
  else
    text = tc_gui_describe_error (error);
  line = g_strdup_printf ("%s: %s", what, text);
  toast (self, line);
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static gboolean
is_modified (TcJourneyEditor *self)
{
  return self->logic != NULL &&
         (self->meta_modified || tc_journey_editor_logic_get_modified (self->logic));
}

static const char *
state_title (TcJourneyState state)
{
  switch (state)
    {
    case TC_JOURNEY_ACTIVE: return _("Active");
    case TC_JOURNEY_PAUSED: return _("Paused");
    case TC_JOURNEY_DRAFT:
    default: return _("Draft");
    }
}

/* An active journey without changes can only be paused; with changes,
 * activating saves them as a new version that new contacts enter. */
static void
update_activate_button (TcJourneyEditor *self)
{
  GtkWidget *button = self->activate_button;
  TcJourneyState state = tc_journey_get_state (self->journey);

  if (button == NULL)
    return;

  if (state == TC_JOURNEY_ACTIVE && !is_modified (self))
    {
      gtk_button_set_label (GTK_BUTTON (button), _("_Pause"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "journey.pause");
      gtk_widget_set_tooltip_text (button, _("Switch the journey off: nobody new enters it, and "
                                             "those inside wait where they are"));
      gtk_widget_remove_css_class (button, "suggested-action");
      return;
    }

  gtk_button_set_label (GTK_BUTTON (button), _("_Activate"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "journey.activate");
  gtk_widget_set_tooltip_text (button,
                               state == TC_JOURNEY_ACTIVE
                               ? _("Save the changes as a new version and switch it on: contacts "
                                   "already inside finish the version they entered")
                               : _("Check the journey and switch it on"));
  gtk_widget_add_css_class (button, "suggested-action");
}

static void
update_title (TcJourneyEditor *self)
{
  g_autofree char *subtitle = NULL;

  if (self->journey == NULL)
    return;

  adw_window_title_set_title (self->title, tc_journey_get_name (self->journey));
  if (tc_journey_get_version (self->journey) > 0)
    /* TRANSLATORS: "Draft · version 2", then maybe " · unsaved changes". */
    subtitle = g_strdup_printf (_("%s · version %d%s"),
                                state_title (tc_journey_get_state (self->journey)),
                                tc_journey_get_version (self->journey),
                                is_modified (self) ? _(" · unsaved changes") : "");
  else
    subtitle = g_strdup (state_title (tc_journey_get_state (self->journey)));
  adw_window_title_set_subtitle (self->title, subtitle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "journey.save", is_modified (self));
  update_activate_button (self);
}

static void
update_history_actions (TcJourneyEditor *self)
{
  gboolean open = self->logic != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "journey.undo",
                                 open && tc_journey_editor_logic_can_undo (self->logic));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "journey.redo",
                                 open && tc_journey_editor_logic_can_redo (self->logic));
  update_title (self);
}

/* Templates: what the pickers offer and what validation looks up. */

static gboolean
lookup_template (const char *kind,
                 const char *name,
                 gpointer    user_data)
{
  TcJourneyEditor *self = user_data;
  GHashTable *table = g_strcmp0 (kind, "sms") == 0 ? self->sms_templates : self->whatsapp_templates;

  return table != NULL && g_hash_table_contains (table, name);
}

static void
on_templates_listed_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(TcJourneyEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) templates = NULL;

  templates = tc_repository_list_templates_finish (TC_REPOSITORY (object), result, &error);
  if (templates == NULL)
    {
      toast_error (self, _("Could not read the templates"), error);
      return;
    }

  g_hash_table_remove_all (self->sms_templates);
  g_hash_table_remove_all (self->whatsapp_templates);
  for (guint i = 0; i < templates->len; i++)
    {
      TcTemplate *template = g_ptr_array_index (templates, i);
      GHashTable *table = NULL;

      if (tc_template_get_kind (template) == TC_TEMPLATE_KIND_SMS)
        table = self->sms_templates;
      else if (tc_template_get_kind (template) == TC_TEMPLATE_KIND_WHATSAPP)
        table = self->whatsapp_templates;
      if (table != NULL)
        g_hash_table_insert (table, g_strdup (tc_template_get_name (template)),
                             g_object_ref (template));
    }
  g_debug ("Listed %u SMS and %u WhatsApp templates",
           g_hash_table_size (self->sms_templates), g_hash_table_size (self->whatsapp_templates));

  if (self->logic != NULL)
    {
      /* The lookup reads the tables above, which live as long as @self;
       * the logic is dropped in dispose before they are. */
      tc_journey_editor_logic_set_template_lookup (self->logic, lookup_template, self, NULL);
      force_inspector (self);
    }
}

static void
load_templates (TcJourneyEditor *self)
{
  tc_repository_list_templates_async (self->repository, -1, self->cancellable,
                                      on_templates_listed_cb, g_object_ref (self));
}

/* Config editing */

static JsonObject *
copy_config (const TcJourneyNode *node)
{
  g_autoptr(JsonNode) wrapper = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) copy = NULL;

  json_node_set_object (wrapper, node->config);
  text = json_to_string (wrapper, FALSE);
  copy = json_from_string (text, NULL);
  return json_object_ref (json_node_get_object (copy));
}

static const TcJourneyNode *
inspected_node (TcJourneyEditor *self)
{
  if (self->journey == NULL || self->inspected_id == NULL)
    return NULL;
  return tc_journey_lookup_node (self->journey, self->inspected_id);
}

static void
show_inspector_error (TcJourneyEditor *self,
                      const GError    *error)
{
  if (self->inspector_error == NULL)
    return;
  if (error == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->inspector_error), FALSE);
      return;
    }
  gtk_label_set_text (self->inspector_error, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->inspector_error), TRUE);
}

static void
apply_config (TcJourneyEditor *self,
              JsonObject      *config)
{
  g_autoptr(GError) error = NULL;

  if (self->filling || inspected_node (self) == NULL)
    return;

  self->editing = TRUE;
  tc_journey_editor_logic_set_config (self->logic, self->inspected_id, config, &error);
  self->editing = FALSE;
  show_inspector_error (self, error);
}

/* Sets @member of the config (or of its object @parent) to @value; NULL
 * removes it. */
static void
edit_member (TcJourneyEditor *self,
             const char      *parent,
             const char      *member,
             JsonNode        *value)
{
  const TcJourneyNode *node = inspected_node (self);
  g_autoptr(JsonObject) config = NULL;
  JsonObject *target;

  if (self->filling || node == NULL)
    {
      g_clear_pointer (&value, json_node_unref);
      return;
    }

  config = copy_config (node);
  target = config;
  if (parent != NULL)
    {
      if (!json_object_has_member (config, parent))
        json_object_set_object_member (config, parent, json_object_new ());
      target = json_object_get_object_member (config, parent);
    }
  if (value != NULL)
    json_object_set_member (target, member, value);
  else if (json_object_has_member (target, member))
    json_object_remove_member (target, member);
  apply_config (self, config);
}

static JsonNode *
string_node (const char *text)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, text);
  return node;
}

static JsonNode *
int_node (gint64 value)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_int (node, value);
  return node;
}

static JsonNode *
bool_node (gboolean value)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_boolean (node, value);
  return node;
}

/* Inspector rows */

static void
on_label_changed_cb (GtkEditable     *editable,
                     TcJourneyEditor *self)
{
  g_autoptr(GError) error = NULL;

  if (self->filling || inspected_node (self) == NULL)
    return;
  self->editing = TRUE;
  tc_journey_editor_logic_set_label (self->logic, self->inspected_id,
                                     gtk_editable_get_text (editable), &error);
  self->editing = FALSE;
  show_inspector_error (self, error);
}

static void
on_string_member_changed_cb (GtkEditable     *editable,
                             TcJourneyEditor *self)
{
  edit_member (self, g_object_get_data (G_OBJECT (editable), "parent"),
               g_object_get_data (G_OBJECT (editable), "member"),
               string_node (gtk_editable_get_text (editable)));
}

static GtkWidget *
add_string_row (TcJourneyEditor *self,
                GtkWidget       *group,
                const char      *title,
                const char      *parent,
                const char      *member,
                const char      *value)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), value != NULL ? value : "");
  g_object_set_data_full (G_OBJECT (row), "parent", g_strdup (parent), g_free);
  g_object_set_data_full (G_OBJECT (row), "member", g_strdup (member), g_free);
  g_signal_connect (row, "changed", G_CALLBACK (on_string_member_changed_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return row;
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return "";
  return json_node_get_string (node);
}

/* A choice among @values (shown as @titles) for a string member. */
static void
on_choice_changed_cb (AdwComboRow     *row,
                      GParamSpec      *pspec,
                      TcJourneyEditor *self)
{
  const char * const *values = g_object_get_data (G_OBJECT (row), "values");
  guint selected = adw_combo_row_get_selected (row);

  if (values == NULL || selected == GTK_INVALID_LIST_POSITION || values[selected] == NULL)
    return;
  edit_member (self, g_object_get_data (G_OBJECT (row), "parent"),
               g_object_get_data (G_OBJECT (row), "member"),
               values[selected][0] != '\0' || !g_object_get_data (G_OBJECT (row), "remove-empty")
                 ? string_node (values[selected]) : NULL);
}

static GtkWidget *
add_choice_row (TcJourneyEditor    *self,
                GtkWidget          *group,
                const char         *title,
                const char         *parent,
                const char         *member,
                GStrv               values,  /* (transfer full) */
                const char * const *titles,
                const char         *current)
{
  GtkWidget *row = adw_combo_row_new ();
  GtkStringList *model = gtk_string_list_new (titles);
  guint selected = 0;

  for (guint i = 0; values[i] != NULL; i++)
    if (g_strcmp0 (values[i], current) == 0)
      selected = i;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  g_object_unref (model);
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  g_object_set_data_full (G_OBJECT (row), "values", values, (GDestroyNotify) g_strfreev);
  g_object_set_data_full (G_OBJECT (row), "parent", g_strdup (parent), g_free);
  g_object_set_data_full (G_OBJECT (row), "member", g_strdup (member), g_free);
  g_signal_connect (row, "notify::selected", G_CALLBACK (on_choice_changed_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return row;
}

static GtkWidget *
add_fixed_choice_row (TcJourneyEditor    *self,
                      GtkWidget          *group,
                      const char         *title,
                      const char         *parent,
                      const char         *member,
                      const char * const *values,
                      const char * const *titles,
                      const char         *current)
{
  g_autoptr(GPtrArray) translated = g_ptr_array_new ();

  for (guint i = 0; titles[i] != NULL; i++)
    g_ptr_array_add (translated, (gpointer) _(titles[i]));
  g_ptr_array_add (translated, NULL);
  return add_choice_row (self, group, title, parent, member, g_strdupv ((char **) values),
                         (const char * const *) translated->pdata, current);
}

/* The template picker: the workspace's templates of @kind, "None", and
 * the current name when it does not exist (marked as missing); under it,
 * a preview of the chosen template's text. */
static void
on_template_chosen_cb (AdwComboRow *row,
                       GParamSpec  *pspec,
                       GtkLabel    *preview)
{
  GHashTable *table = g_object_get_data (G_OBJECT (row), "table");
  const char * const *values = g_object_get_data (G_OBJECT (row), "values");
  guint selected = adw_combo_row_get_selected (row);
  TcTemplate *template = NULL;

  if (values != NULL && selected != GTK_INVALID_LIST_POSITION && values[selected] != NULL)
    template = g_hash_table_lookup (table, values[selected]);
  gtk_label_set_text (preview, template != NULL ? tc_template_get_body (template) : "");
  gtk_widget_set_visible (GTK_WIDGET (preview),
                          template != NULL && tc_template_get_body (template)[0] != '\0');
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

static void
add_template_row (TcJourneyEditor *self,
                  GtkWidget       *group,
                  const char      *title,
                  const char      *parent,
                  const char      *member,
                  const char      *kind,
                  const char      *current)
{
  GHashTable *table = g_strcmp0 (kind, "sms") == 0 ? self->sms_templates : self->whatsapp_templates;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GStrvBuilder) values = g_strv_builder_new ();
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) title_strv = NULL;
  GtkWidget *row, *preview;
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, key);
  g_ptr_array_sort (names, compare_names);
  g_strv_builder_add (values, "");
  g_ptr_array_add (titles, g_strdup (_("None")));
  for (guint i = 0; i < names->len; i++)
    {
      g_strv_builder_add (values, g_ptr_array_index (names, i));
      g_ptr_array_add (titles, g_strdup (g_ptr_array_index (names, i)));
    }
  if (current != NULL && current[0] != '\0' && !g_hash_table_contains (table, current))
    {
      g_strv_builder_add (values, current);
      /* TRANSLATORS: a template the journey names that the workspace lacks. */
      g_ptr_array_add (titles, g_strdup_printf (_("%s (missing)"), current));
    }
  g_ptr_array_add (titles, NULL);
  title_strv = (GStrv) g_ptr_array_steal (titles, NULL);

  row = add_choice_row (self, group, title, parent, member, g_strv_builder_end (values),
                        (const char * const *) title_strv, current);
  g_object_set_data (G_OBJECT (row), "table", table);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);

  preview = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (preview), TRUE);
  gtk_label_set_xalign (GTK_LABEL (preview), 0);
  gtk_label_set_max_width_chars (GTK_LABEL (preview), 36);
  gtk_widget_add_css_class (preview, "journey-template-preview");
  gtk_accessible_update_property (GTK_ACCESSIBLE (preview), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Template preview"), -1);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), preview);
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (on_template_chosen_cb), preview, 0);
  on_template_chosen_cb (ADW_COMBO_ROW (row), NULL, GTK_LABEL (preview));
}

/* Durations: a number and a unit, stored as seconds (or minutes). */
static void
on_duration_changed_cb (GtkWidget       *widget,
                        GParamSpec      *pspec,
                        TcJourneyEditor *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (widget), "row");
  GtkSpinButton *spin = g_object_get_data (G_OBJECT (row), "spin");
  GtkDropDown *unit = g_object_get_data (G_OBJECT (row), "unit");
  static const gint64 units[] = { 60, 3600, 86400 };
  gint64 seconds = (gint64) gtk_spin_button_get_value (spin) * units[MIN (gtk_drop_down_get_selected (unit), 2u)];
  gint64 divisor = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "divisor"));

  edit_member (self, g_object_get_data (G_OBJECT (row), "parent"),
               g_object_get_data (G_OBJECT (row), "member"), int_node (seconds / divisor));
}

static void
add_duration_row (TcJourneyEditor *self,
                  GtkWidget       *group,
                  const char      *title,
                  const char      *parent,
                  const char      *member,
                  gint64           seconds,
                  gint64           divisor)
{
  static const char * const unit_titles[] = { N_("minutes"), N_("hours"), N_("days"), NULL };
  const char *translated[4];
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin, *unit;
  guint index = 0;
  gint64 value = seconds / 60;

  for (guint i = 0; i < 4; i++)
    translated[i] = unit_titles[i] != NULL ? _(unit_titles[i]) : NULL;
  if (seconds > 0 && seconds % 86400 == 0)
    {
      index = 2;
      value = seconds / 86400;
    }
  else if (seconds > 0 && seconds % 3600 == 0)
    {
      index = 1;
      value = seconds / 3600;
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  spin = gtk_spin_button_new_with_range (1, 366 * 24 * 60, 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  unit = gtk_drop_down_new_from_strings (translated);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (unit), index);
  gtk_widget_set_valign (unit, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (unit), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Unit"),
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), unit);

  g_object_set_data (G_OBJECT (row), "spin", spin);
  g_object_set_data (G_OBJECT (row), "unit", unit);
  g_object_set_data (G_OBJECT (spin), "row", row);
  g_object_set_data (G_OBJECT (unit), "row", row);
  g_object_set_data (G_OBJECT (row), "divisor", GINT_TO_POINTER ((int) divisor));
  g_object_set_data_full (G_OBJECT (row), "parent", g_strdup (parent), g_free);
  g_object_set_data_full (G_OBJECT (row), "member", g_strdup (member), g_free);
  g_signal_connect (spin, "notify::value", G_CALLBACK (on_duration_changed_cb), self);
  g_signal_connect (unit, "notify::selected", G_CALLBACK (on_duration_changed_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
}

static void
on_switch_member_cb (GtkSwitch       *sw,
                     GParamSpec      *pspec,
                     TcJourneyEditor *self)
{
  edit_member (self, g_object_get_data (G_OBJECT (sw), "parent"),
               g_object_get_data (G_OBJECT (sw), "member"),
               bool_node (gtk_switch_get_active (sw)));
}

static GtkWidget *
add_switch_row (TcJourneyEditor *self,
                GtkWidget       *group,
                const char      *title,
                const char      *subtitle,
                gboolean         active)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *sw = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_switch_set_active (GTK_SWITCH (sw), active);
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return sw;
}

/* Fallback: on / off, the reasons, the minutes to wait for delivery. */
static void
on_fallback_toggled_cb (GtkSwitch       *sw,
                        GParamSpec      *pspec,
                        TcJourneyEditor *self)
{
  g_autoptr(JsonObject) fallback = NULL;
  JsonArray *on;
  JsonNode *node;

  if (!gtk_switch_get_active (sw))
    {
      edit_member (self, NULL, "fallback", NULL);
      return;
    }

  fallback = json_object_new ();
  on = json_array_new ();
  json_array_add_string_element (on, "no_consent");
  json_object_set_string_member (fallback, "template", "");
  json_object_set_array_member (fallback, "on", on);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, fallback);
  edit_member (self, NULL, "fallback", node);
}

static void
on_fallback_reason_cb (GtkSwitch       *sw,
                       GParamSpec      *pspec,
                       TcJourneyEditor *self)
{
  const TcJourneyNode *node = inspected_node (self);
  const char *reason = g_object_get_data (G_OBJECT (sw), "reason");
  JsonArray *old_on, *on;
  JsonObject *fallback;
  g_autoptr(JsonObject) config = NULL;

  if (self->filling || node == NULL || !json_object_has_member (node->config, "fallback"))
    return;

  config = copy_config (node);
  fallback = json_object_get_object_member (config, "fallback");
  old_on = json_object_get_array_member (fallback, "on");
  on = json_array_new ();
  for (guint i = 0; i < json_array_get_length (old_on); i++)
    if (g_strcmp0 (json_array_get_string_element (old_on, i), reason) != 0)
      json_array_add_string_element (on, json_array_get_string_element (old_on, i));
  if (gtk_switch_get_active (sw))
    json_array_add_string_element (on, reason);
  json_object_set_array_member (fallback, "on", on);

  if (g_strcmp0 (reason, "not_delivered") == 0)
    {
      if (gtk_switch_get_active (sw))
        json_object_set_int_member (fallback, "after_minutes", 30);
      else if (json_object_has_member (fallback, "after_minutes"))
        json_object_remove_member (fallback, "after_minutes");
    }
  apply_config (self, config);
  force_inspector (self);
}

static gboolean
fallback_has (JsonObject *fallback,
              const char *reason)
{
  JsonArray *on = json_object_get_array_member (fallback, "on");

  for (guint i = 0; on != NULL && i < json_array_get_length (on); i++)
    if (g_strcmp0 (json_array_get_string_element (on, i), reason) == 0)
      return TRUE;
  return FALSE;
}

static void
add_send_rows (TcJourneyEditor     *self,
               GtkWidget           *box,
               const TcJourneyNode *node)
{
  static const char * const purposes[] = { "promotional", "transactional", NULL };
  static const char * const purpose_titles[] = { N_("Promotional"), N_("Transactional"), NULL };
  gboolean whatsapp = node->kind == TC_JOURNEY_NODE_SEND_WHATSAPP;
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *sw;

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Message"));
  gtk_box_append (GTK_BOX (box), group);

  if (node->kind == TC_JOURNEY_NODE_SEND_PREFERRED)
    {
      add_template_row (self, group, _("SMS Template"), NULL, "sms_template", "sms",
                        get_string (node->config, "sms_template"));
      add_template_row (self, group, _("WhatsApp Template"), NULL, "whatsapp_template", "whatsapp",
                        get_string (node->config, "whatsapp_template"));
    }
  else
    add_template_row (self, group, _("Template"), NULL, "template", whatsapp ? "whatsapp" : "sms",
                      get_string (node->config, "template"));

  add_fixed_choice_row (self, group, _("Purpose"), NULL, "purpose", purposes, purpose_titles,
                        get_string (node->config, "purpose"));
  sw = add_switch_row (self, group, _("Require Consent"),
                       _("Skip contacts who have not agreed to these messages"),
                       !json_object_has_member (node->config, "require_consent") ||
                       json_object_get_boolean_member (node->config, "require_consent"));
  g_object_set_data (G_OBJECT (sw), "member", (gpointer) "require_consent");
  g_signal_connect (sw, "notify::active", G_CALLBACK (on_switch_member_cb), self);

  if (node->kind == TC_JOURNEY_NODE_SEND_PREFERRED)
    return;

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Fallback"));
  gtk_box_append (GTK_BOX (box), group);
  sw = add_switch_row (self, group, whatsapp ? _("Fall Back to SMS") : _("Fall Back to WhatsApp"),
                       whatsapp ? _("Send an SMS instead when WhatsApp cannot reach them")
                                : _("Send on WhatsApp instead when SMS cannot reach them"),
                       json_object_has_member (node->config, "fallback"));
  g_signal_connect (sw, "notify::active", G_CALLBACK (on_fallback_toggled_cb), self);

  if (json_object_has_member (node->config, "fallback"))
    {
      JsonObject *fallback = json_object_get_object_member (node->config, "fallback");
      struct { const char *reason; const char *title; } reasons[] = {
        { "no_consent", N_("When They Have Not Agreed") },
        { "not_delivered", N_("When Not Delivered in 30 Minutes") },
        { "not_on_whatsapp", N_("When Not on WhatsApp") },
      };

      add_template_row (self, group, _("Fallback Template"), "fallback", "template",
                        whatsapp ? "sms" : "whatsapp", get_string (fallback, "template"));
      for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
        {
          if (!whatsapp && g_str_equal (reasons[i].reason, "not_on_whatsapp"))
            continue;
          sw = add_switch_row (self, group, _(reasons[i].title), NULL,
                               fallback_has (fallback, reasons[i].reason));
          g_object_set_data (G_OBJECT (sw), "reason", (gpointer) reasons[i].reason);
          g_signal_connect (sw, "notify::active", G_CALLBACK (on_fallback_reason_cb), self);
        }
      if (fallback_has (fallback, "not_delivered"))
        add_duration_row (self, group, _("Wait for Delivery"), "fallback", "after_minutes",
                          json_object_get_int_member (fallback, "after_minutes") * 60, 60);
    }
}

/* Branch conditions: every kind has rows of its own; filters on an event
 * are edited as JSON (below every step's rows). */
static void
on_condition_kind_cb (AdwComboRow     *row,
                      GParamSpec      *pspec,
                      TcJourneyEditor *self)
{
  guint selected = adw_combo_row_get_selected (row);
  const TcJourneyNode *node = inspected_node (self);
  JsonNode *value;

  if (self->filling || node == NULL || selected >= TC_JOURNEY_N_CONDITION_KINDS ||
      (int) selected == tc_journey_condition_get_kind (json_object_get_object_member (node->config,
                                                                                      "condition")))
    return;
  value = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (value, tc_journey_condition_new_default (selected));
  edit_member (self, NULL, "condition", value);
  force_inspector (self);
}

/* Marks a control for the GUI test, which reads where it is from the
 * debug output (log_inspector_cb()). */
static void
set_test_name (GtkWidget  *widget,
               const char *name)
{
  g_object_set_data_full (G_OBJECT (widget), "test-name", g_strdup (name), g_free);
}

static void
add_branch_rows (TcJourneyEditor     *self,
                 GtkWidget           *box,
                 const TcJourneyNode *node)
{
  static const char * const kind_titles[] = {
    [TC_JOURNEY_CONDITION_EVENT] = N_("An Event Since They Entered"),
    [TC_JOURNEY_CONDITION_TAG] = N_("A Tag"),
    [TC_JOURNEY_CONDITION_LAST_MESSAGE] = N_("The Last Message"),
    [TC_JOURNEY_CONDITION_FIELD] = N_("A Contact Field"),
    [TC_JOURNEY_CONDITION_CONSENT] = N_("Consent"),
  };
  static const char * const states[] = { "delivered", "read", "clicked", "replied", NULL };
  static const char * const state_titles[] = {
    N_("Was delivered"), N_("Was read"), N_("Was clicked"), N_("Was replied to"), NULL,
  };
  static const char * const ops[] = { "equals", "not_equals", "contains", "empty", "not_empty", NULL };
  static const char * const op_titles[] = {
    N_("Is"), N_("Is not"), N_("Contains"), N_("Is empty"), N_("Is not empty"), NULL,
  };
  static const char * const channels[] = { "sms", "whatsapp", NULL };
  static const char * const channel_titles[] = { N_("SMS"), N_("WhatsApp"), NULL };
  static const char * const purposes[] = { "promotional", "transactional", NULL };
  static const char * const purpose_titles[] = { N_("Promotional"), N_("Transactional"), NULL };
  static const char * const statuses[] = { "opted_in", "opted_out", "pending", "none", NULL };
  static const char * const status_titles[] = {
    N_("Have agreed"), N_("Have opted out"), N_("Are waiting to confirm"), N_("Were never asked"),
    NULL,
  };
  JsonObject *condition = json_object_get_object_member (node->config, "condition");
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *row = adw_combo_row_new ();
  const char *titles[TC_JOURNEY_N_CONDITION_KINDS + 1] = { NULL, };
  GtkStringList *model;
  int kind = tc_journey_condition_get_kind (condition);

  for (guint i = 0; i < TC_JOURNEY_N_CONDITION_KINDS; i++)
    titles[i] = _(kind_titles[i]);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Condition"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Contacts for whom it holds go on by “Yes”, the others by “No”."));
  gtk_box_append (GTK_BOX (box), group);

  model = gtk_string_list_new (titles);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Check"));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  g_object_unref (model);
  if (kind >= 0)
    adw_combo_row_set_selected (ADW_COMBO_ROW (row), kind);
  else
    adw_combo_row_set_selected (ADW_COMBO_ROW (row), GTK_INVALID_LIST_POSITION);
  g_signal_connect (row, "notify::selected", G_CALLBACK (on_condition_kind_cb), self);
  set_test_name (row, "condition-kind");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  switch (kind)
    {
    case TC_JOURNEY_CONDITION_EVENT:
      add_string_row (self, group, _("Event"), "condition", "event",
                      get_string (condition, "event"));
      break;
    case TC_JOURNEY_CONDITION_TAG:
      {
        GtkWidget *sw;

        add_string_row (self, group, _("Tag"), "condition", "tag", get_string (condition, "tag"));
        sw = add_switch_row (self, group, _("Has the Tag"), _("Off: yes when they do not have it"),
                             !json_object_has_member (condition, "has") ||
                             json_object_get_boolean_member (condition, "has"));
        /* "has" lives inside the condition. */
        g_object_set_data (G_OBJECT (sw), "member", (gpointer) "has");
        g_object_set_data (G_OBJECT (sw), "parent", (gpointer) "condition");
        g_signal_connect (sw, "notify::active", G_CALLBACK (on_switch_member_cb), self);
      }
      break;
    case TC_JOURNEY_CONDITION_LAST_MESSAGE:
      row = add_fixed_choice_row (self, group, _("Last Message"), "condition", "last_message",
                                  states, state_titles, get_string (condition, "last_message"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("The message this journey sent them last"));
      set_test_name (row, "last-message");
      break;
    case TC_JOURNEY_CONDITION_FIELD:
      add_string_row (self, group, _("Field"), "condition", "field",
                      get_string (condition, "field"));
      add_fixed_choice_row (self, group, _("Test"), "condition", "op", ops, op_titles,
                            get_string (condition, "op"));
      add_string_row (self, group, _("Value"), "condition", "value",
                      get_string (condition, "value"));
      break;
    case TC_JOURNEY_CONDITION_CONSENT:
      row = add_fixed_choice_row (self, group, _("Channel"), "condition", "consent", channels,
                                  channel_titles, get_string (condition, "consent"));
      set_test_name (row, "consent-channel");
      row = add_fixed_choice_row (self, group, _("Purpose"), "condition", "purpose", purposes,
                                  purpose_titles, get_string (condition, "purpose"));
      set_test_name (row, "consent-purpose");
      row = add_fixed_choice_row (self, group, _("Yes When They"), "condition", "status", statuses,
                                  status_titles, get_string (condition, "status"));
      set_test_name (row, "consent-status");
      break;
    default:
      break;
    }
}

/* A wait: for a duration, or until a time of day on some weekdays. */
static void
on_wait_mode_cb (AdwComboRow     *row,
                 GParamSpec      *pspec,
                 TcJourneyEditor *self)
{
  const TcJourneyNode *node = inspected_node (self);
  guint selected = adw_combo_row_get_selected (row);
  g_autoptr(JsonObject) config = NULL;

  if (self->filling || node == NULL || selected > 1 ||
      (selected == 1) == json_object_has_member (node->config, "until"))
    return;
  if (selected == 1)
    {
      /* Office hours, every day, to start from. */
      TcJourneyWindow start = { 9 * 60, 17 * 60, TC_JOURNEY_WINDOW_EVERY_DAY };

      config = tc_journey_window_to_config (&start);
    }
  else
    {
      config = json_object_new ();
      json_object_set_int_member (config, "duration", 3600);
    }
  apply_config (self, config);
  force_inspector (self);
}

/* Reads the window's controls back into the wait's config. */
static void
on_window_changed_cb (GtkWidget       *widget,
                      GParamSpec      *pspec,
                      TcJourneyEditor *self)
{
  GtkWidget *group = g_object_get_data (G_OBJECT (widget), "window-group");
  GtkSpinButton *from_hour = g_object_get_data (G_OBJECT (group), "from-hour");
  GtkSpinButton *from_minute = g_object_get_data (G_OBJECT (group), "from-minute");
  GtkSpinButton *to_hour = g_object_get_data (G_OBJECT (group), "to-hour");
  GtkSpinButton *to_minute = g_object_get_data (G_OBJECT (group), "to-minute");
  GtkSwitch *has_end = g_object_get_data (G_OBJECT (group), "has-end");
  TcJourneyWindow window = { 0, -1, TC_JOURNEY_WINDOW_EVERY_DAY };
  g_autoptr(JsonObject) config = NULL;

  if (self->filling)
    return;
  window.from = gtk_spin_button_get_value_as_int (from_hour) * 60 +
                gtk_spin_button_get_value_as_int (from_minute);
  if (gtk_switch_get_active (has_end))
    window.to = gtk_spin_button_get_value_as_int (to_hour) * 60 +
                gtk_spin_button_get_value_as_int (to_minute);
  gtk_widget_set_sensitive (GTK_WIDGET (to_hour), gtk_switch_get_active (has_end));
  gtk_widget_set_sensitive (GTK_WIDGET (to_minute), gtk_switch_get_active (has_end));
  for (guint d = 0; d < 7; d++)
    {
      g_autofree char *key = g_strdup_printf ("day-%u", d);

      if (gtk_toggle_button_get_active (g_object_get_data (G_OBJECT (group), key)))
        window.days |= 1u << d;
    }
  config = tc_journey_window_to_config (&window);
  apply_config (self, config);
}

/* Hours and minutes with two digits: 09:05. */
static gboolean
on_time_spin_output_cb (GtkSpinButton *spin)
{
  char text[8];

  g_snprintf (text, sizeof text, "%02d", gtk_spin_button_get_value_as_int (spin));
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (spin)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static GtkWidget *
time_spin (GtkWidget  *group,
           const char *key,
           int         max,
           int         value,
           const char *accessible)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (0, max, 1);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_spin_button_set_wrap (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (spin), GTK_ORIENTATION_VERTICAL);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 2);
  g_signal_connect (spin, "output", G_CALLBACK (on_time_spin_output_cb), NULL);
  on_time_spin_output_cb (GTK_SPIN_BUTTON (spin));
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  g_object_set_data (G_OBJECT (group), key, spin);
  g_object_set_data (G_OBJECT (spin), "window-group", group);
  set_test_name (spin, key);
  return spin;
}

/* "From" / "To": hour and minute, 24-hour. */
static GtkWidget *
add_time_row (GtkWidget  *group,
              const char *title,
              const char *prefix,
              int         minutes,
              const char *hour_name,
              const char *minute_name)
{
  g_autofree char *hour_key = g_strdup_printf ("%s-hour", prefix);
  g_autofree char *minute_key = g_strdup_printf ("%s-minute", prefix);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), time_spin (group, hour_key, 23, MAX (minutes, 0) / 60, hour_name));
  gtk_box_append (GTK_BOX (box), gtk_label_new (":"));
  gtk_box_append (GTK_BOX (box), time_spin (group, minute_key, 59, MAX (minutes, 0) % 60,
                                            minute_name));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return row;
}

static void
add_wait_rows (TcJourneyEditor     *self,
               GtkWidget           *box,
               GtkWidget           *first_group,
               const TcJourneyNode *node)
{
  static const char * const day_letters[] = {
    /* Translators: Monday in two letters, on a toggle button */
    N_("Mo"), N_("Tu"), N_("We"), N_("Th"), N_("Fr"), N_("Sa"), N_("Su"),
  };
  static const char * const day_names[] = {
    N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"),
    N_("Sunday"),
  };
  const char *modes[] = { _("For a While"), _("Until a Time of Day"), NULL };
  TcJourneyWindow window;
  gboolean is_window = tc_journey_window_from_config (node->config, &window);
  GtkWidget *mode = adw_combo_row_new ();
  GtkStringList *model = gtk_string_list_new (modes);
  GtkWidget *group, *row, *sw, *days_box;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (mode), _("Kind of Wait"));
  adw_combo_row_set_model (ADW_COMBO_ROW (mode), G_LIST_MODEL (model));
  g_object_unref (model);
  adw_combo_row_set_selected (ADW_COMBO_ROW (mode), is_window ? 1 : 0);
  g_signal_connect (mode, "notify::selected", G_CALLBACK (on_wait_mode_cb), self);
  set_test_name (mode, "wait-mode");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (first_group), mode);

  if (!is_window)
    {
      add_duration_row (self, first_group, _("Wait For"), NULL, "duration",
                        json_object_get_int_member (node->config, "duration"), 1);
      return;
    }

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Time of Day"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("In each contact’s time zone. Contacts go on at once "
                                           "when it is already within the hours."));
  gtk_box_append (GTK_BOX (box), group);

  add_time_row (group, _("From"), "from", window.from, _("From, hour"), _("From, minute"));
  sw = add_switch_row (self, group, _("Until a Later Time"),
                       _("Off: they go on at the starting time only"), window.to >= 0);
  g_object_set_data (G_OBJECT (group), "has-end", sw);
  g_object_set_data (G_OBJECT (sw), "window-group", group);
  set_test_name (sw, "has-end");
  add_time_row (group, _("To"), "to", window.to >= 0 ? window.to : 17 * 60, _("To, hour"),
                _("To, minute"));
  gtk_widget_set_sensitive (g_object_get_data (G_OBJECT (group), "to-hour"), window.to >= 0);
  gtk_widget_set_sensitive (g_object_get_data (G_OBJECT (group), "to-minute"), window.to >= 0);

  /* The days under their title: seven buttons do not fit beside it. */
  {
    GtkWidget *inner = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
    GtkWidget *title = gtk_label_new (_("On"));
    GtkWidget *subtitle = gtk_label_new (_("Every day, or the days chosen"));

    row = adw_preferences_row_new ();
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("On"));
    gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
    gtk_widget_set_focusable (row, FALSE);
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("On which days"), -1);
    gtk_widget_set_margin_start (inner, 12);
    gtk_widget_set_margin_end (inner, 12);
    gtk_widget_set_margin_top (inner, 8);
    gtk_widget_set_margin_bottom (inner, 10);
    gtk_label_set_xalign (GTK_LABEL (title), 0);
    gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
    gtk_label_set_wrap (GTK_LABEL (subtitle), TRUE);
    gtk_widget_add_css_class (subtitle, "dim-label");
    gtk_widget_add_css_class (subtitle, "caption");
    gtk_box_append (GTK_BOX (inner), title);
    gtk_box_append (GTK_BOX (inner), subtitle);
    days_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
    gtk_widget_add_css_class (days_box, "linked");
    gtk_widget_set_halign (days_box, GTK_ALIGN_START);
    gtk_widget_set_margin_top (days_box, 6);
    gtk_box_append (GTK_BOX (inner), days_box);
    gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), inner);
  }
  for (guint d = 0; d < 7; d++)
    {
      GtkWidget *toggle = gtk_toggle_button_new_with_label (_(day_letters[d]));
      g_autofree char *key = g_strdup_printf ("day-%u", d);
      g_autofree char *test_name = g_strdup_printf ("day-%s", tc_journey_window_day_name (d));

      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle),
                                    window.days == TC_JOURNEY_WINDOW_EVERY_DAY ||
                                    (window.days & (1u << d)) != 0);
      gtk_widget_add_css_class (toggle, "journey-day");
      gtk_widget_set_tooltip_text (toggle, _(day_names[d]));
      gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(day_names[d]), -1);
      g_object_set_data (G_OBJECT (group), key, toggle);
      g_object_set_data (G_OBJECT (toggle), "window-group", group);
      set_test_name (toggle, test_name);
      g_signal_connect (toggle, "notify::active", G_CALLBACK (on_window_changed_cb), self);
      gtk_box_append (GTK_BOX (days_box), toggle);
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  g_signal_connect (sw, "notify::active", G_CALLBACK (on_window_changed_cb), self);
  for (guint i = 0; i < 4; i++)
    {
      static const char * const keys[] = { "from-hour", "from-minute", "to-hour", "to-minute" };

      g_signal_connect (g_object_get_data (G_OBJECT (group), keys[i]), "notify::value",
                        G_CALLBACK (on_window_changed_cb), self);
    }
}

static void
on_percent_changed_cb (GtkSpinButton   *spin,
                       GParamSpec      *pspec,
                       TcJourneyEditor *self)
{
  const TcJourneyNode *node = inspected_node (self);
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (spin), "index"));
  g_autoptr(JsonObject) config = NULL;
  JsonArray *branches;

  if (self->filling || node == NULL)
    return;
  config = copy_config (node);
  branches = json_object_get_array_member (config, "branches");
  if (index >= json_array_get_length (branches))
    return;
  json_object_set_int_member (json_array_get_object_element (branches, index), "percent",
                              gtk_spin_button_get_value_as_int (spin));
  apply_config (self, config);
}

static void
add_split_rows (TcJourneyEditor     *self,
                GtkWidget           *box,
                const TcJourneyNode *node)
{
  JsonArray *branches = json_object_get_array_member (node->config, "branches");
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Shares"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Contacts are split at random; the shares add up to 100 %."));
  gtk_box_append (GTK_BOX (box), group);

  for (guint i = 0; i < json_array_get_length (branches); i++)
    {
      JsonObject *branch = json_array_get_object_element (branches, i);
      g_autofree char *title = g_strdup_printf (_("Branch %s (%%)"),
                                                json_object_get_string_member (branch, "name"));
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *spin = gtk_spin_button_new_with_range (0, 100, 1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin),
                                 json_object_get_double_member (branch, "percent"));
      gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                      -1);
      g_object_set_data (G_OBJECT (spin), "index", GUINT_TO_POINTER (i));
      g_signal_connect (spin, "notify::value", G_CALLBACK (on_percent_changed_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
}

static void
on_action_kind_cb (AdwComboRow     *row,
                   GParamSpec      *pspec,
                   TcJourneyEditor *self)
{
  static const char * const defaults[] = {
    "{\"action\":\"add_tag\",\"tag\":\"journey\"}",
    "{\"action\":\"remove_tag\",\"tag\":\"journey\"}",
    "{\"action\":\"set_attribute\",\"attribute\":\"stage\",\"value\":\"done\"}",
  };
  guint selected = adw_combo_row_get_selected (row);
  g_autoptr(JsonNode) node = NULL;

  if (self->filling || selected >= G_N_ELEMENTS (defaults))
    return;
  node = json_from_string (defaults[selected], NULL);
  apply_config (self, json_node_get_object (node));
  force_inspector (self);
}

static void
add_update_rows (TcJourneyEditor     *self,
                 GtkWidget           *box,
                 const TcJourneyNode *node)
{
  static const char * const actions[] = { "add_tag", "remove_tag", "set_attribute", NULL };
  const char *titles[] = { _("Add a Tag"), _("Remove a Tag"), _("Set an Attribute"), NULL };
  const char *action = get_string (node->config, "action");
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *row = adw_combo_row_new ();
  GtkStringList *model = gtk_string_list_new (titles);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Change"));
  gtk_box_append (GTK_BOX (box), group);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Action"));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  g_object_unref (model);
  for (guint i = 0; actions[i] != NULL; i++)
    if (g_strcmp0 (actions[i], action) == 0)
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), i);
  g_signal_connect (row, "notify::selected", G_CALLBACK (on_action_kind_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  if (g_strcmp0 (action, "set_attribute") == 0)
    {
      add_string_row (self, group, _("Attribute"), NULL, "attribute",
                      get_string (node->config, "attribute"));
      add_string_row (self, group, _("Value"), NULL, "value", get_string (node->config, "value"));
    }
  else
    add_string_row (self, group, _("Tag"), NULL, "tag", get_string (node->config, "tag"));
}

/* Outputs: where each leads, chosen from a list (the keyboard's way to
 * connect). Index 0: not connected; 1: ends the journey; then the
 * steps it can lead to. */
static void
on_output_chosen_cb (AdwComboRow     *row,
                     GParamSpec      *pspec,
                     TcJourneyEditor *self)
{
  const char * const *targets = g_object_get_data (G_OBJECT (row), "targets");
  const char *port = g_object_get_data (G_OBJECT (row), "port");
  guint selected = adw_combo_row_get_selected (row);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup (self->inspected_id);

  if (self->filling || inspected_node (self) == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;

  self->editing = TRUE;
  if (selected == 0)
    {
      tc_journey_editor_logic_set_port_ends (self->logic, id, port, FALSE, &error);
      tc_journey_editor_logic_disconnect (self->logic, id, port);
    }
  else if (selected == 1)
    tc_journey_editor_logic_set_port_ends (self->logic, id, port, TRUE, &error);
  else
    tc_journey_editor_logic_connect (self->logic, id, port, targets[selected - 2], &error);
  self->editing = FALSE;
  show_inspector_error (self, error);
}

static void
add_output_rows (TcJourneyEditor     *self,
                 GtkWidget           *box,
                 const TcJourneyNode *node)
{
  g_auto(GStrv) ports = tc_journey_node_dup_ports (node);
  GtkWidget *group;

  if (ports == NULL || ports[0] == NULL)
    return;

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Next Steps"));
  gtk_box_append (GTK_BOX (box), group);

  for (guint p = 0; ports[p] != NULL; p++)
    {
      g_autoptr(GStrvBuilder) targets = g_strv_builder_new ();
      g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *title = tc_journey_port_dup_title (node, ports[p]);
      g_autofree char *row_title = NULL;
      const TcJourneyEdge *edge = tc_journey_lookup_edge (self->journey, node->id, ports[p]);
      GtkWidget *row = adw_combo_row_new ();
      g_autoptr(GtkStringList) model = NULL;
      guint selected = tc_journey_node_port_ends (node, ports[p]) ? 1 : 0;
      guint n = 2;

      g_ptr_array_add (titles, g_strdup (_("Not connected")));
      g_ptr_array_add (titles, g_strdup (_("Ends the journey")));
      for (guint i = 0; i < tc_journey_get_n_nodes (self->journey); i++)
        {
          const TcJourneyNode *other = tc_journey_get_node (self->journey, i);

          if (other == node || other->kind == TC_JOURNEY_NODE_TRIGGER)
            continue;
          if (edge != NULL && g_strcmp0 (edge->to, other->id) == 0)
            selected = n;
          g_strv_builder_add (targets, other->id);
          g_ptr_array_add (titles,
                           g_strdup_printf ("%s (%s)", tc_journey_node_get_display_label (other),
                                                    other->id));
          n++;
        }
      g_ptr_array_add (titles, NULL);
      model = gtk_string_list_new ((const char * const *) titles->pdata);

      /* TRANSLATORS: an output of a step, "After “Sent”". */
      row_title = strcmp (ports[p], "next") == 0 && ports[1] == NULL
                    ? g_strdup (_("Then"))
                    : g_strdup_printf (_("After “%s”"), title);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), row_title);
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
      g_object_set_data_full (G_OBJECT (row), "targets", g_strv_builder_end (targets),
                              (GDestroyNotify) g_strfreev);
      g_object_set_data_full (G_OBJECT (row), "port", g_strdup (ports[p]), g_free);
      g_signal_connect (row, "notify::selected", G_CALLBACK (on_output_chosen_cb), self);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
}

/* Settings as JSON: every member, for what has no row of its own. */
static void
on_json_apply_cb (GtkButton       *button,
                  TcJourneyEditor *self)
{
  GtkTextBuffer *buffer = g_object_get_data (G_OBJECT (button), "buffer");
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  if (!json_parser_load_from_data (parser, text, -1, &error))
    {
      show_inspector_error (self, error);
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_autoptr(GError) shape = g_error_new_literal (TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_INVALID,
                                                     _("The settings must be a JSON object, "
                                                       "between { and }."));
      show_inspector_error (self, shape);
      return;
    }
  apply_config (self, json_node_get_object (json_parser_get_root (parser)));
  force_inspector (self);
}

static void
add_json_rows (TcJourneyEditor     *self,
               GtkWidget           *box,
               const TcJourneyNode *node)
{
  g_autoptr(JsonNode) wrapper = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;
  GtkWidget *expander, *inner, *view, *button, *frame;
  GtkTextBuffer *buffer;

  json_node_set_object (wrapper, node->config);
  text = json_to_string (wrapper, TRUE);

  expander = gtk_expander_new_with_mnemonic (_("All _Settings as JSON"));
  /* GTK 4.8 names the expander's button after its class otherwise. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (expander), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("All Settings as JSON"), -1);
  inner = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_top (inner, 6);
  view = gtk_text_view_new ();
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Step settings as JSON"), -1);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  gtk_text_buffer_set_text (buffer, text, -1);
  frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (frame), view);
  gtk_box_append (GTK_BOX (inner), frame);
  button = gtk_button_new_with_mnemonic (_("_Apply Settings"));
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  g_object_set_data (G_OBJECT (button), "buffer", buffer);
  g_signal_connect (button, "clicked", G_CALLBACK (on_json_apply_cb), self);
  gtk_box_append (GTK_BOX (inner), button);
  gtk_expander_set_child (GTK_EXPANDER (expander), inner);
  gtk_box_append (GTK_BOX (box), expander);
}

/* The journey itself, when no step is selected. */
static void
on_name_changed_cb (GtkEditable     *editable,
                    TcJourneyEditor *self)
{
  const char *name = gtk_editable_get_text (editable);

  if (self->filling || self->journey == NULL || name[0] == '\0')
    return;
  tc_journey_set_name (self->journey, name);
  self->meta_modified = TRUE;
  update_title (self);
}

static void
on_reentry_changed_cb (GObject         *object,
                       GParamSpec      *pspec,
                       TcJourneyEditor *self)
{
  GtkWidget *box = g_object_get_data (object, "box");
  AdwComboRow *policy = g_object_get_data (G_OBJECT (box), "policy");
  GtkSpinButton *days = g_object_get_data (G_OBJECT (box), "days");
  guint selected = adw_combo_row_get_selected (policy);

  if (self->filling || self->journey == NULL || selected > TC_JOURNEY_REENTRY_EVERY_TIME)
    return;
  tc_journey_set_reentry (self->journey, selected, gtk_spin_button_get_value_as_int (days));
  gtk_widget_set_sensitive (GTK_WIDGET (days), selected == TC_JOURNEY_REENTRY_ONCE_PER_DAYS);
  self->meta_modified = TRUE;
  update_title (self);
}

static void
add_journey_rows (TcJourneyEditor *self,
                  GtkWidget       *box)
{
  const char *policies[] = { _("Once Ever"), _("Once in a Number of Days"), _("Every Time"), NULL };
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *row, *policy, *days_row, *days;
  GtkStringList *model;
  guint n_days = 7;
  TcJourneyReentry reentry = tc_journey_get_reentry (self->journey, &n_days);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Journey"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Select a step to edit it. Drag steps from the "
                                           "palette, and connect them by dragging from a dot on "
                                           "a step’s right edge onto the next step."));
  gtk_box_append (GTK_BOX (box), group);

  row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Name"));
  gtk_editable_set_text (GTK_EDITABLE (row), tc_journey_get_name (self->journey));
  g_signal_connect (row, "changed", G_CALLBACK (on_name_changed_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  policy = adw_combo_row_new ();
  model = gtk_string_list_new (policies);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (policy), _("Contacts Enter"));
  adw_combo_row_set_model (ADW_COMBO_ROW (policy), G_LIST_MODEL (model));
  g_object_unref (model);
  adw_combo_row_set_selected (ADW_COMBO_ROW (policy), reentry);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), policy);

  days_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (days_row), _("Days Between Entries"));
  days = gtk_spin_button_new_with_range (1, 3650, 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (days), n_days > 0 ? n_days : 7);
  gtk_widget_set_valign (days, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (days, reentry == TC_JOURNEY_REENTRY_ONCE_PER_DAYS);
  gtk_accessible_update_property (GTK_ACCESSIBLE (days), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Days Between Entries"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (days_row), days);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), days_row);

  g_object_set_data (G_OBJECT (group), "policy", policy);
  g_object_set_data (G_OBJECT (group), "days", days);
  g_object_set_data (G_OBJECT (policy), "box", group);
  g_object_set_data (G_OBJECT (days), "box", group);
  g_signal_connect (policy, "notify::selected", G_CALLBACK (on_reentry_changed_cb), self);
  g_signal_connect (days, "notify::value", G_CALLBACK (on_reentry_changed_cb), self);
}

/* What the inspector shows, as text: when it is unchanged, the inspector
 * is left alone. */
static char *
inspector_signature (TcJourneyEditor *self)
{
  const TcJourneyNode *node = inspected_node (self);
  g_autoptr(GString) text = g_string_new (self->inspected_id);

  if (node != NULL)
    {
      g_autoptr(JsonNode) wrapper = json_node_new (JSON_NODE_OBJECT);
      g_autofree char *config = NULL;

      json_node_set_object (wrapper, node->config);
      config = json_to_string (wrapper, FALSE);
      g_string_append_printf (text, "|%s|%s", node->label, config);
      for (guint i = 0; i < node->ends->len; i++)
        g_string_append_printf (text, "|end:%s", (char *) g_ptr_array_index (node->ends, i));
      for (guint i = 0; i < tc_journey_get_n_edges (self->journey); i++)
        {
          const TcJourneyEdge *edge = tc_journey_get_edge (self->journey, i);

          if (g_strcmp0 (edge->from, node->id) == 0)
            g_string_append_printf (text, "|%s>%s", edge->port, edge->to);
        }
      /* The list of steps an output can lead to. */
      for (guint i = 0; i < tc_journey_get_n_nodes (self->journey); i++)
        {
          const TcJourneyNode *other = tc_journey_get_node (self->journey, i);

          g_string_append_printf (text, "|%s=%s", other->id, other->label);
        }
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
rebuild_inspector (TcJourneyEditor *self)
{
  const TcJourneyNode *node;
  g_autofree char *signature = NULL;
  GtkWidget *child, *group, *row, *error_label;

  if (self->logic == NULL)
    return;

  node = tc_journey_editor_logic_get_selected_node (self->logic);
  g_free (self->inspected_id);
  self->inspected_id = node != NULL ? g_strdup (node->id) : NULL;
  signature = inspector_signature (self);
  if (g_strcmp0 (signature, self->inspected_signature) == 0)
    return;
  g_free (self->inspected_signature);
  self->inspected_signature = g_steal_pointer (&signature);

  self->filling = TRUE;
  while ((child = gtk_widget_get_first_child (self->inspector)) != NULL)
    gtk_box_remove (GTK_BOX (self->inspector), child);

  error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (error_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (error_label), 0);
  gtk_widget_add_css_class (error_label, "error");
  gtk_widget_set_visible (error_label, FALSE);
  self->inspector_error = GTK_LABEL (error_label);

  if (node == NULL)
    {
      guint n = tc_journey_editor_logic_get_n_selected (self->logic);

      if (n > 1)
        {
          g_autofree char *text = g_strdup_printf (ngettext ("%u step selected",
                                                             "%u steps selected", n), n);
          GtkWidget *status = adw_status_page_new ();

          adw_status_page_set_title (ADW_STATUS_PAGE (status), text);
          adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                           _("Drag one of them to move them all, or press Delete to "
                                             "remove them. Ctrl+C copies them."));
          adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "edit-select-all-symbolic");
          gtk_widget_add_css_class (status, "compact");
          gtk_box_append (GTK_BOX (self->inspector), status);
        }
      else
        add_journey_rows (self, self->inspector);
      gtk_box_append (GTK_BOX (self->inspector), error_label);
      self->filling = FALSE;
      return;
    }

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group),
                                   tc_journey_node_kind_get_title (node->kind));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), node->id);
  gtk_box_append (GTK_BOX (self->inspector), group);

  row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Label"));
  gtk_editable_set_text (GTK_EDITABLE (row), node->label);
  g_signal_connect (row, "changed", G_CALLBACK (on_label_changed_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  switch (node->kind)
    {
    case TC_JOURNEY_NODE_TRIGGER:
      add_string_row (self, group, _("Event"), NULL, "event", get_string (node->config, "event"));
      break;
    case TC_JOURNEY_NODE_WAIT:
      add_wait_rows (self, self->inspector, group, node);
      break;
    case TC_JOURNEY_NODE_WAIT_FOR_EVENT:
      add_string_row (self, group, _("Event"), NULL, "event", get_string (node->config, "event"));
      add_duration_row (self, group, _("Give Up After"), NULL, "within",
                        json_object_get_int_member (node->config, "within"), 1);
      break;
    case TC_JOURNEY_NODE_SEND_SMS:
    case TC_JOURNEY_NODE_SEND_WHATSAPP:
    case TC_JOURNEY_NODE_SEND_PREFERRED:
      add_send_rows (self, self->inspector, node);
      break;
    case TC_JOURNEY_NODE_BRANCH:
      add_branch_rows (self, self->inspector, node);
      break;
    case TC_JOURNEY_NODE_SPLIT:
      add_split_rows (self, self->inspector, node);
      break;
    case TC_JOURNEY_NODE_UPDATE_CONTACT:
      add_update_rows (self, self->inspector, node);
      break;
    case TC_JOURNEY_NODE_EXIT:
    default:
      break;
    }

  add_output_rows (self, self->inspector, node);
  gtk_box_append (GTK_BOX (self->inspector), error_label);
  if (node->kind != TC_JOURNEY_NODE_EXIT)
    add_json_rows (self, self->inspector, node);

  self->filling = FALSE;
  if (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    g_timeout_add (400, log_inspector_cb, g_object_ref (self));
}

static void
log_test_names (GtkWidget *widget,
                GtkNative *native,
                double     sx,
                double     sy)
{
  const char *name = g_object_get_data (G_OBJECT (widget), "test-name");
  graphene_rect_t bounds;

  if (name != NULL && gtk_widget_compute_bounds (widget, GTK_WIDGET (native), &bounds))
    g_debug ("Inspector %s at %.0f,%.0f", name, sx + bounds.origin.x + bounds.size.width / 2,
             sy + bounds.origin.y + bounds.size.height / 2);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    log_test_names (child, native, sx, sy);
}

/* Where the marked controls of the inspector are, in the window's
 * surface: what the GUI test clicks. */
static gboolean
log_inspector_cb (gpointer user_data)
{
  g_autoptr(TcJourneyEditor) self = user_data;
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
  double sx = 0, sy = 0;

  if (native == NULL || self->inspector == NULL ||
      g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    return G_SOURCE_REMOVE;
  gtk_native_get_surface_transform (native, &sx, &sy);
  g_debug ("Inspector shows %s", self->inspected_id != NULL ? self->inspected_id : "the journey");
  log_test_names (self->inspector, native, sx, sy);
  return G_SOURCE_REMOVE;
}

static gboolean
inspector_scrolled_cb (gpointer user_data)
{
  TcJourneyEditor *self = user_data;

  self->inspector_log_source = 0;
  log_inspector_cb (g_object_ref (self));
  return G_SOURCE_REMOVE;
}

/* Scrolled: the controls moved (for the GUI test). */
static void
on_inspector_scrolled_cb (TcJourneyEditor *self)
{
  if (g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    return;
  g_clear_handle_id (&self->inspector_log_source, g_source_remove);
  self->inspector_log_source = g_timeout_add (300, inspector_scrolled_cb, self);
}

static gboolean
inspector_idle_cb (gpointer user_data)
{
  TcJourneyEditor *self = user_data;

  self->inspector_idle = 0;
  rebuild_inspector (self);
  return G_SOURCE_REMOVE;
}

static void
queue_inspector (TcJourneyEditor *self)
{
  if (self->editing)
    {
      /* Keep the signature current, so the idle leaves the rows (and the
       * focus in them) alone. */
      g_free (self->inspected_signature);
      self->inspected_signature = inspector_signature (self);
      return;
    }
  if (self->inspector_idle == 0)
    self->inspector_idle = g_idle_add (inspector_idle_cb, self);
}

/* Builds the inspector again, from the main loop: the rows that asked
 * for it are still in their signal handlers. */
static void
force_inspector (TcJourneyEditor *self)
{
  g_clear_pointer (&self->inspected_signature, g_free);
  if (self->inspector_idle == 0)
    self->inspector_idle = g_idle_add (inspector_idle_cb, self);
}

/* Problems */

static void
on_problem_activated_cb (GtkListBox      *list,
                         GtkListBoxRow   *row,
                         TcJourneyEditor *self)
{
  const char *node = g_object_get_data (G_OBJECT (row), "node");

  if (node == NULL || self->logic == NULL)
    return;
  tc_journey_editor_logic_select (self->logic, node, FALSE);
  tc_journey_canvas_reveal_node (self->canvas, node);
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

static gboolean
problems_idle_cb (gpointer user_data)
{
  TcJourneyEditor *self = user_data;
  GPtrArray *problems;
  g_autofree char *heading = NULL;

  self->problems_idle = 0;
  if (self->logic == NULL)
    return G_SOURCE_REMOVE;

  problems = tc_journey_editor_logic_get_problems (self->logic);
  clear_list (self->problems_list);
  for (guint i = 0; i < problems->len; i++)
    {
      const TcJourneyProblem *problem = g_ptr_array_index (problems, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), problem->message);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      gtk_widget_add_css_class (icon, "error");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), problem->node != NULL);
      g_object_set_data_full (G_OBJECT (row), "node", g_strdup (problem->node), g_free);
      gtk_list_box_append (self->problems_list, row);
    }

  if (problems->len == 0 && tc_journey_get_state (self->journey) == TC_JOURNEY_ACTIVE)
    heading = g_strdup (_("No problems"));
  else if (problems->len == 0)
    heading = g_strdup (_("No problems: the journey can be activated"));
  else
    heading = g_strdup_printf (ngettext ("%u Problem", "%u Problems", problems->len),
                               problems->len);
  gtk_label_set_text (self->problems_heading, heading);
  gtk_widget_set_visible (GTK_WIDGET (self->problems_list), problems->len > 0);
  g_debug ("Journey has %u problems", problems->len);
  return G_SOURCE_REMOVE;
}

static void
on_problems_changed_cb (TcJourneyEditor *self)
{
  if (self->problems_idle == 0)
    self->problems_idle = g_idle_add (problems_idle_cb, self);
  queue_inspector (self);
}

static void
on_selection_changed_cb (TcJourneyEditor *self)
{
  queue_inspector (self);
}

static void
on_history_changed_cb (TcJourneyEditor *self)
{
  update_history_actions (self);
}

static void
on_canvas_error_cb (TcJourneyCanvas *canvas,
                    const char      *message,
                    TcJourneyEditor *self)
{
  toast (self, message);
}

/* Live statistics: read on the repository's reader every few seconds
 * while the canvas shows a stored journey, one read at a time. */

#define STATS_INTERVAL_S 3

typedef struct
{
  TcJourneyEditor *self;
  GCancellable    *cancellable;
} StatsRead;

static void
on_stats_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  StatsRead *read = user_data;
  g_autoptr(TcJourneyEditor) self = read->self;
  g_autoptr(GCancellable) cancellable = read->cancellable;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcJourneyStats) stats = NULL;

  g_free (read);
  stats = tc_journey_runner_stats_finish (TC_REPOSITORY (object), result, &error);
  /* A read for a journey closed since (a new one may be under way). */
  if (g_cancellable_is_cancelled (cancellable) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->stats_cancellable);
  if (stats == NULL)
    {
      g_debug ("No statistics: %s", error->message);
      return;
    }
  if (self->logic == NULL || self->journey == NULL ||
      tc_journey_get_id (self->journey) != stats->journey_id)
    return;

  if (tc_journey_editor_logic_set_stats (self->logic, stats) &&
      !g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    {
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < stats->nodes->len; i++)
        {
          const TcJourneyNodeStats *node = g_ptr_array_index (stats->nodes, i);

          if (node->waiting + node->passed + node->sent + node->converted == 0)
            continue;
          g_string_append_printf (text, " %s: %" G_GUINT64_FORMAT " waiting, %" G_GUINT64_FORMAT
                                  " passed, %" G_GUINT64_FORMAT " sent, %" G_GUINT64_FORMAT
                                  " converted;", node->node, node->waiting, node->passed,
                                  node->sent, node->converted);
        }
      g_debug ("Statistics of journey %" G_GINT64_FORMAT ":%s", stats->journey_id,
               text->len > 0 ? text->str : " none");
    }
}

static void
refresh_stats (TcJourneyEditor *self)
{
  StatsRead *read;
  gint64 id;

  if (self->repository == NULL || self->journey == NULL || self->stats_cancellable != NULL ||
      !gtk_widget_get_mapped (GTK_WIDGET (self->canvas)))
    return;
  id = tc_journey_get_id (self->journey);
  if (id <= 0)
    return;
  read = g_new0 (StatsRead, 1);
  read->self = g_object_ref (self);
  read->cancellable = g_cancellable_new ();
  self->stats_cancellable = g_object_ref (read->cancellable);
  tc_journey_runner_stats_async (self->repository, id, read->cancellable, on_stats_read_cb, read);
}

static gboolean
stats_timeout_cb (gpointer user_data)
{
  refresh_stats (user_data);
  return G_SOURCE_CONTINUE;
}

static void
start_stats (TcJourneyEditor *self)
{
  if (self->stats_source == 0)
    self->stats_source = g_timeout_add_seconds (STATS_INTERVAL_S, stats_timeout_cb, self);
  refresh_stats (self);
}

static void
stop_stats (TcJourneyEditor *self)
{
  g_clear_handle_id (&self->stats_source, g_source_remove);
  g_cancellable_cancel (self->stats_cancellable);
  g_clear_object (&self->stats_cancellable);
}

/* Opening a journey */

static void
close_journey (TcJourneyEditor *self)
{
  stop_stats (self);
  if (self->logic != NULL)
    g_signal_handlers_disconnect_by_data (self->logic, self);
  tc_journey_canvas_set_logic (self->canvas, NULL);
  g_clear_object (&self->logic);
  g_clear_object (&self->journey);
  g_clear_pointer (&self->inspected_id, g_free);
  g_clear_pointer (&self->inspected_signature, g_free);
  self->meta_modified = FALSE;
}

static gboolean
log_geometry_cb (gpointer user_data)
{
  g_autoptr(TcJourneyEditor) self = user_data;
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
  double sx = 0, sy = 0;

  /* Where the palette's kinds are, in the window's surface: what the GUI
   * test drags from. */
  if (native == NULL || g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    return G_SOURCE_REMOVE;
  gtk_native_get_surface_transform (native, &sx, &sy);
  {
    graphene_rect_t bounds;

    if (gtk_widget_compute_bounds (GTK_WIDGET (self->canvas), GTK_WIDGET (native), &bounds))
      g_debug ("Canvas at %.0f,%.0f size %.0fx%.0f", sx + bounds.origin.x, sy + bounds.origin.y,
               bounds.size.width, bounds.size.height);
  }
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->palette)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      graphene_rect_t bounds;

      if (!gtk_widget_compute_bounds (row, GTK_WIDGET (native), &bounds))
        continue;
      g_debug ("Palette %s at %.0f,%.0f", (const char *) g_object_get_data (G_OBJECT (row), "kind"),
               sx + bounds.origin.x + bounds.size.width / 2, sy + bounds.origin.y + bounds.size.height / 2);
    }
  return G_SOURCE_REMOVE;
}

static void
open_journey (TcJourneyEditor *self,
              TcJourney       *journey)
{
  close_journey (self);

  self->journey = g_object_ref (journey);
  self->logic = tc_journey_editor_logic_new (journey);
  if (tc_journey_editor_logic_needs_tidy (self->logic))
    {
      /* Laid out for another direction (the ready-made journeys, an
       * import): one undoable step puts it left to right. */
      tc_journey_editor_logic_tidy (self->logic);
      g_debug ("Tidied up journey %" G_GINT64_FORMAT " on opening", tc_journey_get_id (journey));
    }
  tc_journey_editor_logic_set_template_lookup (self->logic, lookup_template, self, NULL);
  g_signal_connect_swapped (self->logic, "selection-changed", G_CALLBACK (on_selection_changed_cb),
                            self);
  g_signal_connect_swapped (self->logic, "problems-changed", G_CALLBACK (on_problems_changed_cb),
                            self);
  g_signal_connect_swapped (self->logic, "notify::can-undo", G_CALLBACK (on_history_changed_cb),
                            self);
  g_signal_connect_swapped (self->logic, "notify::can-redo", G_CALLBACK (on_history_changed_cb),
                            self);
  g_signal_connect_swapped (self->logic, "notify::modified", G_CALLBACK (on_history_changed_cb),
                            self);
  tc_journey_canvas_set_logic (self->canvas, self->logic);

  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "editor");
  update_history_actions (self);
  rebuild_inspector (self);
  on_problems_changed_cb (self);
  load_templates (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
  g_debug ("Opened journey %" G_GINT64_FORMAT " (%u steps)", tc_journey_get_id (journey),
           tc_journey_get_n_nodes (journey));
  start_stats (self);
  g_timeout_add (500, log_geometry_cb, g_object_ref (self));
}

static void
on_journey_read_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(TcJourneyEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcJourney) journey = tc_journey_store_get_finish (TC_REPOSITORY (object), result,
                                                              &error);

  if (journey == NULL)
    {
      toast_error (self, _("Could not open the journey"), error);
      return;
    }
  open_journey (self, journey);
}

static void
open_id (TcJourneyEditor *self,
         gint64           id)
{
  tc_journey_store_get_async (self->repository, id, 0, self->cancellable,
                              on_journey_read_cb, g_object_ref (self));
}

static void
on_journey_row_activated_cb (GtkListBox      *list,
                             GtkListBoxRow   *row,
                             TcJourneyEditor *self)
{
  gint64 *id = g_object_get_data (G_OBJECT (row), "id");

  if (id != NULL)
    open_id (self, *id);
}

static void
on_library_created_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(TcJourneyEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) created = NULL;
  gint64 id;

  id = tc_journey_library_create_finish (TC_REPOSITORY (object), result, &created, &error);
  if (id == 0)
    {
      toast_error (self, _("Could not create the journey"), error);
      return;
    }
  if (created != NULL && created[0] != NULL)
    {
      g_autofree char *text = g_strdup_printf (ngettext ("Created the journey and %u template it sends",
                                                         "Created the journey and %u templates it sends",
                                                         g_strv_length (created)),
                                               g_strv_length (created));
      toast (self, text);
    }
  reload_list (self);
  open_id (self, id);
}

static void
on_library_row_activated_cb (GtkListBox      *list,
                             GtkListBoxRow   *row,
                             TcJourneyEditor *self)
{
  const char *name = g_object_get_data (G_OBJECT (row), "name");

  if (name == NULL || self->repository == NULL)
    return;
  tc_journey_library_create_async (self->repository, name, self->cancellable,
                                   on_library_created_cb, g_object_ref (self));
}

static void
on_journeys_listed_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(TcJourneyEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) infos = tc_journey_store_list_finish (TC_REPOSITORY (object), result,
                                                             &error);

  if (infos == NULL)
    {
      toast_error (self, _("Could not read the journeys"), error);
      return;
    }

  clear_list (self->journeys_list);
  for (guint i = 0; i < infos->len; i++)
    {
      TcJourneyInfo *info = g_ptr_array_index (infos, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *updated = tc_gui_format_date (info->updated_at);
      g_autofree char *subtitle = NULL;
      guint n = tc_journey_get_n_nodes (info->journey);
      gint64 *id = g_new (gint64, 1);

      *id = tc_journey_get_id (info->journey);
      subtitle = g_strdup_printf (ngettext ("%s · %u step · changed %s",
                                            "%s · %u steps · changed %s", n),
                                  state_title (tc_journey_get_state (info->journey)), n, updated);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     tc_journey_get_name (info->journey));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "id", id, g_free);
      gtk_list_box_append (self->journeys_list, row);
    }
  if (infos->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No journeys yet"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("Start from one of the ready-made journeys below."));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_widget_set_focusable (row, FALSE);
      gtk_list_box_append (self->journeys_list, row);
    }

  g_debug ("Listed %u journeys", infos->len);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (self->stack)), "list") == 0)
    {
      GtkListBoxRow *first = gtk_list_box_get_row_at_index (infos->len > 0 ? self->journeys_list
                                                                            : self->library_list, 0);

      if (first != NULL && gtk_widget_get_child_visible (GTK_WIDGET (self)))
        gtk_widget_grab_focus (GTK_WIDGET (first));
    }
}

static void
reload_list (TcJourneyEditor *self)
{
  if (self->repository == NULL)
    return;
  tc_journey_store_list_async (self->repository, self->cancellable,
                               on_journeys_listed_cb, g_object_ref (self));
}

/* Save and activate */

static void
on_activated_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TcJourneyEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  int version = 0;

  if (!tc_journey_store_activate_finish (TC_REPOSITORY (object), result, &version, &problems,
                                         &error))
    {
      if (g_error_matches (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_PROBLEMS) && problems != NULL)
        {
          g_autofree char *text = g_strdup_printf (ngettext ("Not activated: fix the problem first",
                                                             "Not activated: fix the %u problems first",
                                                             problems->len), problems->len);
          toast (self, text);
        }
      else
        toast_error (self, _("Could not activate the journey"), error);
      return;
    }

  if (self->journey != NULL)
    {
      tc_journey_set_state (self->journey, TC_JOURNEY_ACTIVE);
      update_title (self);
      on_problems_changed_cb (self);
    }
  g_debug ("Activated journey, version %d", version);
  toast (self, _("The journey is active: new contacts enter it as their events arrive"));
}

static void
on_templates_reviewed_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) reviewed = NULL;
  gboolean simulated = FALSE;

  reviewed = tc_wa_templates_review_simulated_finish (TC_REPOSITORY (object), result, &simulated,
                                                      &error);
  if (reviewed == NULL)
    g_message ("The simulator could not review the journey's WhatsApp templates: %s",
               error->message);
  else if (simulated)
    g_debug ("The simulator reviewed %u WhatsApp templates", reviewed->len);
}

void
tc_journey_review_templates (TcRepository *repository,
                             TcJourney    *journey)
{
  g_auto(GStrv) names = NULL;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (TC_IS_JOURNEY (journey));

  names = tc_journey_dup_whatsapp_templates (journey);
  tc_wa_templates_review_simulated_async (repository, (const char * const *) names, NULL,
                                          on_templates_reviewed_cb, NULL);
}

static void
on_paused_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TcJourneyEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tc_journey_store_pause_finish (TC_REPOSITORY (object), result, &error))
    {
      toast_error (self, _("Could not pause the journey"), error);
      return;
    }

  if (self->journey != NULL)
    {
      tc_journey_set_state (self->journey, TC_JOURNEY_PAUSED);
      update_title (self);
      on_problems_changed_cb (self);
    }
  g_debug ("Paused journey");
  toast (self, _("The journey is paused: Activate switches it on again"));
}

static void
activate_journey (TcJourneyEditor *self)
{
  /* Its WhatsApp templates are approved on the simulator before its
   * first WhatsApp step comes due (a wait always comes first). */
  tc_journey_review_templates (self->repository, self->journey);
  tc_journey_store_activate_async (self->repository, tc_journey_get_id (self->journey),
                                   self->cancellable, on_activated_cb, g_object_ref (self));
}

static void
on_saved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TcJourneyEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  int version = tc_journey_store_save_finish (TC_REPOSITORY (object), result, &error);
  gboolean then_activate = self->activate_after_save;
  gboolean then_close = self->close_after_save;

  self->activate_after_save = FALSE;
  self->close_after_save = FALSE;
  if (version == 0)
    {
      /* The window stays open on what could not be saved. */
      if (then_close)
        tc_application_cancel_quit (TC_APPLICATION (g_application_get_default ()));
      toast_error (self, _("Could not save the journey"), error);
      return;
    }
  if (then_close)
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

      g_debug ("Saved journey %" G_GINT64_FORMAT " as version %d; closing the window",
               self->journey != NULL ? tc_journey_get_id (self->journey) : 0, version);
      if (GTK_IS_WINDOW (root))
        gtk_window_close (GTK_WINDOW (root));
      return;
    }
  reload_list (self);
  if (self->journey == NULL)
    return;

  tc_journey_set_version (self->journey, version);
  g_debug ("Saved journey %" G_GINT64_FORMAT " as version %d", tc_journey_get_id (self->journey),
           version);
  if (then_activate)
    activate_journey (self);
  else
    toast (self, _("Saved"));
}

static void
save (TcJourneyEditor *self)
{
  if (self->journey == NULL || self->repository == NULL)
    return;

  /* What is saved is this moment's graph: the store copies it to JSON on
   * this thread before its job runs. */
  tc_journey_store_save_async (self->repository, self->journey, self->cancellable,
                               on_saved_cb, g_object_ref (self));
  tc_journey_editor_logic_mark_saved (self->logic);
  self->meta_modified = FALSE;
  update_title (self);
}

/* Leaving with unsaved changes */

static void
really_show_list (TcJourneyEditor *self)
{
  close_journey (self);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "list");
  reload_list (self);
}

static void
on_leave_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      TcJourneyEditor  *self)
{
  self->asking = FALSE;
  if (g_str_equal (response, "save"))
    {
      save (self);
      really_show_list (self);
    }
  else if (g_str_equal (response, "discard"))
    really_show_list (self);
}

static gboolean
close_window_idle_cb (gpointer user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
  return G_SOURCE_REMOVE;
}

/* Closing the window (or quitting) with unsaved changes. */
static void
on_close_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      TcJourneyEditor  *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  self->asking = FALSE;
  if (g_str_equal (response, "save") && self->journey != NULL)
    {
      g_debug ("Saving journey %" G_GINT64_FORMAT " before closing",
               tc_journey_get_id (self->journey));
      self->close_after_save = TRUE;
      save (self);
    }
  else if (g_str_equal (response, "discard"))
    {
      g_debug ("Closing without saving journey %" G_GINT64_FORMAT,
               self->journey != NULL ? tc_journey_get_id (self->journey) : 0);
      close_journey (self);
      /* From the main loop: the dialog is still emitting its response,
       * and goes with the window. */
      if (GTK_IS_WINDOW (root))
        g_idle_add_full (G_PRIORITY_DEFAULT, close_window_idle_cb, g_object_ref (root),
                         g_object_unref);
    }
  else
    {
      g_debug ("Closing the window cancelled");
      tc_application_cancel_quit (TC_APPLICATION (g_application_get_default ()));
    }
}

static void
ask_to_save (TcJourneyEditor *self,
             GCallback        response_cb)
{
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  GtkRoot *root;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  /* Translators: %s is the journey's name */
  body = g_strdup_printf (_("The journey “%s” has changes that are not saved yet."),
                          tc_journey_get_name (self->journey));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Save Changes?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", response_cb, self, 0);
  self->asking = TRUE;
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Actions */

static void
journey_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TcJourneyEditor *self = TC_JOURNEY_EDITOR (widget);

  if (g_str_equal (action_name, "journey.back"))
    {
      tc_journey_editor_show_list (self);
      return;
    }
  if (self->logic == NULL)
    return;

  if (g_str_equal (action_name, "journey.save"))
    save (self);
  else if (g_str_equal (action_name, "journey.activate"))
    {
      if (is_modified (self))
        {
          self->activate_after_save = TRUE;
          save (self);
        }
      else
        activate_journey (self);
    }
  else if (g_str_equal (action_name, "journey.pause"))
    tc_journey_store_pause_async (self->repository, tc_journey_get_id (self->journey),
                                  self->cancellable, on_paused_cb, g_object_ref (self));
  else if (g_str_equal (action_name, "journey.undo"))
    tc_journey_editor_logic_undo (self->logic);
  else if (g_str_equal (action_name, "journey.redo"))
    tc_journey_editor_logic_redo (self->logic);
  else if (g_str_equal (action_name, "journey.tidy"))
    {
      const TcJourneyNode *selected;

      tc_journey_editor_logic_tidy (self->logic);
      tc_journey_canvas_show_start (self->canvas);
      selected = tc_journey_editor_logic_get_selected_node (self->logic);
      if (selected != NULL)
        tc_journey_canvas_reveal_node (self->canvas, selected->id);
    }
  else if (g_str_equal (action_name, "journey.fit"))
    tc_journey_canvas_fit (self->canvas);
  else if (g_str_equal (action_name, "journey.zoom-in"))
    tc_journey_canvas_zoom_in (self->canvas);
  else if (g_str_equal (action_name, "journey.zoom-out"))
    tc_journey_canvas_zoom_out (self->canvas);
  else if (g_str_equal (action_name, "journey.zoom-reset"))
    tc_journey_canvas_zoom_reset (self->canvas);
  else if (g_str_equal (action_name, "journey.add-node"))
    {
      TcJourneyNodeKind kind;
      g_autoptr(GError) error = NULL;
      double x, y;
      const char *id;

      if (!tc_journey_node_kind_from_string (g_variant_get_string (parameter, NULL), &kind))
        return;
      tc_journey_canvas_get_center (self->canvas, &x, &y);
      /* Nudged by the number of nodes, so added steps do not pile up. */
      x += (tc_journey_get_n_nodes (self->journey) % 5) * 16 - TC_JOURNEY_CARD_WIDTH / 2;
      y += (tc_journey_get_n_nodes (self->journey) % 5) * 16 - TC_JOURNEY_CARD_HEADER / 2;
      id = tc_journey_editor_logic_add_node (self->logic, kind, x, y, &error);
      if (id == NULL)
        toast_error (self, _("Could not add the step"), error);
      else
        {
          tc_journey_canvas_reveal_node (self->canvas, id);
          gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
        }
    }
}

static void
on_palette_row_activated_cb (GtkListBox      *list,
                             GtkListBoxRow   *row,
                             TcJourneyEditor *self)
{
  const char *kind = g_object_get_data (G_OBJECT (row), "kind");

  gtk_widget_activate_action (GTK_WIDGET (self), "journey.add-node", "s", kind);
}

static GdkContentProvider *
on_palette_drag_prepare_cb (GtkDragSource *source,
                            double         x,
                            double         y,
                            GtkWidget     *row)
{
  return gdk_content_provider_new_typed (G_TYPE_STRING, g_object_get_data (G_OBJECT (row), "kind"));
}

static void
on_palette_drag_begin_cb (GtkDragSource *source,
                          GdkDrag       *drag,
                          GtkWidget     *row)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (row);

  gtk_drag_source_set_icon (source, paintable, 24, 18);
}

/* Building the page */

static GtkWidget *
icon_button (const char *icon_name,
             const char *action_name,
             const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);
  return button;
}

static GtkWidget *
sidebar_button (TcJourneyEditor *self)
{
  GtkWidget *button = icon_button ("go-previous-symbolic", "win.show-sidebar", _("Show Sections"));

  g_object_bind_property (self, "folded", button, "visible", G_BINDING_SYNC_CREATE);
  return button;
}

static GtkWidget *
build_list_page (TcJourneyEditor *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group, *list;

  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new (_("Journeys"), NULL));
  self->list_back_button = sidebar_button (self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), self->list_back_button);
  gtk_box_append (GTK_BOX (box), header);

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Your Journeys"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Automations that text each customer at the right "
                                           "moment, for as long as they are switched on."));
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Your Journeys"), -1);
  g_signal_connect (list, "row-activated", G_CALLBACK (on_journey_row_activated_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), list);
  self->journeys_list = GTK_LIST_BOX (list);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group),
                                   _("Start from a Ready-Made Journey"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Creates the journey as a draft, with the templates it "
                                           "sends when you do not have them yet."));
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Ready-made journeys"), -1);
  g_signal_connect (list, "row-activated", G_CALLBACK (on_library_row_activated_cb), self);
  for (guint i = 0; i < tc_journey_library_get_n_entries (); i++)
    {
      const TcJourneyLibraryEntry *entry = tc_journey_library_get_entry (i);
      GtkWidget *row = adw_action_row_new ();

      /* The library marks its titles with N_(): they are translated here. */
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(entry->title));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(entry->description));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("list-add-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data (G_OBJECT (row), "name", (gpointer) entry->name);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), list);
  self->library_list = GTK_LIST_BOX (list);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), page);
  return box;
}

static GtkWidget *
build_palette (TcJourneyEditor *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (_("Steps"));
  GtkWidget *hint = gtk_label_new (_("Drag onto the canvas, or press Enter to add in the middle."));
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  gtk_widget_add_css_class (box, "journey-palette");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (hint), 20);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_widget_add_css_class (hint, "caption");
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), hint);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "navigation-sidebar");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Steps to add"), -1);
  for (guint k = 0; k < TC_JOURNEY_N_NODE_KINDS; k++)
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *row_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
      GtkWidget *icon = gtk_image_new_from_icon_name (tc_journey_node_kind_get_icon_name (k));
      GtkWidget *label = gtk_label_new (tc_journey_node_kind_get_title (k));
      g_autofree char *accessible = g_strdup_printf (_("Add a “%s” step"),
                                                     tc_journey_node_kind_get_title (k));
      g_autofree char *css = g_strdup_printf ("journey-kind-%s",
                                              tc_journey_node_kind_to_string (k));
      GtkDragSource *source = gtk_drag_source_new ();

      gtk_widget_add_css_class (icon, "journey-kind-icon");
      gtk_widget_add_css_class (icon, css);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_box_append (GTK_BOX (row_box), icon);
      gtk_box_append (GTK_BOX (row_box), label);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), row_box);
      gtk_widget_set_tooltip_text (row, accessible);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      accessible, -1);
      g_object_set_data (G_OBJECT (row), "kind", (gpointer) tc_journey_node_kind_to_string (k));

      gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
      g_signal_connect (source, "prepare", G_CALLBACK (on_palette_drag_prepare_cb), row);
      g_signal_connect (source, "drag-begin", G_CALLBACK (on_palette_drag_begin_cb), row);
      gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (source));
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  g_signal_connect (list, "row-activated", G_CALLBACK (on_palette_row_activated_cb), self);
  self->palette = GTK_LIST_BOX (list);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);
  return box;
}

static void
on_zoom_notify_cb (TcJourneyEditor *self)
{
  g_autofree char *text = g_strdup_printf ("%.0f %%",
                                           tc_journey_canvas_get_zoom (self->canvas) * 100);

  gtk_button_set_label (GTK_BUTTON (self->zoom_button), text);
}

static GtkWidget *
build_editor_page (TcJourneyEditor *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *body = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *toolbar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *side = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *problems_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *problems_scrolled = gtk_scrolled_window_new ();
  GtkWidget *button, *add_button, *undo_box;
  g_autoptr(GMenu) menu = g_menu_new ();

  /* The header. */
  self->editor_back_button = icon_button ("go-previous-symbolic", "journey.back",
                                          _("Back to Journeys (Alt+Left)"));
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), self->editor_back_button);
  self->title = ADW_WINDOW_TITLE (adw_window_title_new ("", NULL));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->title));

  for (guint k = 0; k < TC_JOURNEY_N_NODE_KINDS; k++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (tc_journey_node_kind_get_title (k), NULL);

      g_menu_item_set_action_and_target_value (item, "journey.add-node",
                                               g_variant_new_string (tc_journey_node_kind_to_string (k)));
      g_menu_append_item (menu, item);
    }
  add_button = gtk_menu_button_new ();
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (add_button), G_MENU_MODEL (menu));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (add_button), "list-add-symbolic");
  gtk_widget_set_tooltip_text (add_button, _("Add Step"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (add_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Add Step"), -1);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), add_button);

  undo_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (undo_box, "linked");
  gtk_box_append (GTK_BOX (undo_box),
                  icon_button ("edit-undo-symbolic", "journey.undo", _("Undo (Ctrl+Z)")));
  gtk_box_append (GTK_BOX (undo_box), icon_button ("edit-redo-symbolic", "journey.redo",
                                                   _("Redo (Shift+Ctrl+Z)")));
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), undo_box);

  /* Activate, or Pause for an active journey without changes
   * (update_activate_button()). */
  self->activate_button = gtk_button_new_with_mnemonic (_("_Activate"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->activate_button), "journey.activate");
  gtk_widget_add_css_class (self->activate_button, "suggested-action");
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->activate_button);
  button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "journey.save");
  gtk_widget_set_tooltip_text (button, _("Save (Ctrl+S)"));
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), button);
  gtk_box_append (GTK_BOX (box), header);

  /* Palette | canvas | inspector. */
  gtk_box_append (GTK_BOX (body), build_palette (self));
  gtk_box_append (GTK_BOX (body), gtk_separator_new (GTK_ORIENTATION_VERTICAL));

  self->canvas = TC_JOURNEY_CANVAS (tc_journey_canvas_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->canvas), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->canvas), TRUE);
  g_signal_connect (self->canvas, "error", G_CALLBACK (on_canvas_error_cb), self);
  g_signal_connect_swapped (self->canvas, "notify::zoom", G_CALLBACK (on_zoom_notify_cb), self);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), GTK_WIDGET (self->canvas));

  gtk_widget_add_css_class (toolbar, "journey-toolbar");
  gtk_widget_add_css_class (toolbar, "linked");
  gtk_widget_set_halign (toolbar, GTK_ALIGN_START);
  gtk_widget_set_valign (toolbar, GTK_ALIGN_END);
  gtk_widget_set_margin_start (toolbar, 12);
  gtk_widget_set_margin_bottom (toolbar, 12);
  gtk_box_append (GTK_BOX (toolbar), icon_button ("zoom-out-symbolic", "journey.zoom-out",
                                                  _("Zoom Out (Ctrl+minus)")));
  self->zoom_button = gtk_button_new_with_label ("100 %");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->zoom_button), "journey.zoom-reset");
  gtk_widget_set_tooltip_text (self->zoom_button, _("Actual Size (Ctrl+0)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->zoom_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Actual Size"), -1);
  gtk_widget_add_css_class (self->zoom_button, "numeric");
  gtk_box_append (GTK_BOX (toolbar), self->zoom_button);
  gtk_box_append (GTK_BOX (toolbar), icon_button ("zoom-in-symbolic", "journey.zoom-in",
                                                  _("Zoom In (Ctrl+plus)")));
  gtk_box_append (GTK_BOX (toolbar), icon_button ("zoom-fit-best-symbolic", "journey.fit",
                                                  _("Fit to View (Shift+Ctrl+F)")));
  gtk_box_append (GTK_BOX (toolbar), icon_button ("view-grid-symbolic", "journey.tidy",
                                                  _("Tidy Up (Shift+Ctrl+T)")));
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), toolbar);
  gtk_box_append (GTK_BOX (body), overlay);
  gtk_box_append (GTK_BOX (body), gtk_separator_new (GTK_ORIENTATION_VERTICAL));

  /* The inspector over the problems. */
  self->inspector = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_add_css_class (self->inspector, "journey-inspector");
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->inspector);
  g_signal_connect_swapped (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)),
                            "value-changed", G_CALLBACK (on_inspector_scrolled_cb), self);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (side), scrolled);
  gtk_box_append (GTK_BOX (side), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));

  gtk_widget_add_css_class (problems_box, "journey-problems");
  self->problems_heading = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->problems_heading, 0);
  gtk_label_set_wrap (self->problems_heading, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->problems_heading), "heading");
  gtk_box_append (GTK_BOX (problems_box), GTK_WIDGET (self->problems_heading));
  self->problems_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->problems_list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->problems_list), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->problems_list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Problems"), -1);
  g_signal_connect (self->problems_list, "row-activated", G_CALLBACK (on_problem_activated_cb),
                    self);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (problems_scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (problems_scrolled), 220);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (problems_scrolled), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (problems_scrolled),
                                 GTK_WIDGET (self->problems_list));
  gtk_box_append (GTK_BOX (problems_box), problems_scrolled);
  gtk_box_append (GTK_BOX (side), problems_box);
  gtk_widget_set_size_request (side, 320, -1);
  gtk_box_append (GTK_BOX (body), side);

  gtk_widget_set_vexpand (body, TRUE);
  gtk_box_append (GTK_BOX (box), body);
  return box;
}

/* GObject */

static void
tc_journey_editor_dispose (GObject *object)
{
  TcJourneyEditor *self = TC_JOURNEY_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->inspector_idle, g_source_remove);
  g_clear_handle_id (&self->problems_idle, g_source_remove);
  g_clear_handle_id (&self->inspector_log_source, g_source_remove);
  if (self->canvas != NULL)
    close_journey (self);
  g_clear_pointer (&self->stack, gtk_widget_unparent);
  self->canvas = NULL;
  g_clear_object (&self->repository);

  G_OBJECT_CLASS (tc_journey_editor_parent_class)->dispose (object);
}

static void
tc_journey_editor_finalize (GObject *object)
{
  TcJourneyEditor *self = TC_JOURNEY_EDITOR (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->sms_templates, g_hash_table_unref);
  g_clear_pointer (&self->whatsapp_templates, g_hash_table_unref);
  g_free (self->inspected_id);
  g_free (self->inspected_signature);

  G_OBJECT_CLASS (tc_journey_editor_parent_class)->finalize (object);
}

static void
tc_journey_editor_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TcJourneyEditor *self = TC_JOURNEY_EDITOR (object);

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
tc_journey_editor_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TcJourneyEditor *self = TC_JOURNEY_EDITOR (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      tc_journey_editor_set_folded (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_journey_editor_class_init (TcJourneyEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const char * const simple[] = {
    "journey.save", "journey.activate", "journey.pause", "journey.undo", "journey.redo", "journey.tidy",
    "journey.fit", "journey.zoom-in", "journey.zoom-out", "journey.zoom-reset", "journey.back",
  };

  object_class->dispose = tc_journey_editor_dispose;
  object_class->finalize = tc_journey_editor_finalize;
  object_class->get_property = tc_journey_editor_get_property;
  object_class->set_property = tc_journey_editor_set_property;

  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  for (guint i = 0; i < G_N_ELEMENTS (simple); i++)
    gtk_widget_class_install_action (widget_class, simple[i], NULL, journey_action);
  gtk_widget_class_install_action (widget_class, "journey.add-node", "s", journey_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "journey.save",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "journey.tidy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_T, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "journey.tidy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "journey.back",
                                       NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "journeyeditor");
}

static void
tc_journey_editor_init (TcJourneyEditor *self)
{
  self->cancellable = g_cancellable_new ();
  self->sms_templates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->whatsapp_templates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                    g_object_unref);

  self->stack = gtk_stack_new ();
  gtk_stack_set_transition_type (GTK_STACK (self->stack),
                                 GTK_STACK_TRANSITION_TYPE_SLIDE_LEFT_RIGHT);
  gtk_stack_add_named (GTK_STACK (self->stack), build_list_page (self), "list");
  gtk_stack_add_named (GTK_STACK (self->stack), build_editor_page (self), "editor");
  gtk_widget_set_parent (self->stack, GTK_WIDGET (self));

  update_history_actions (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "journey.save", FALSE);
}

/* Public API */

void
tc_journey_editor_set_repository (TcJourneyEditor *self,
                                  TcRepository    *repository)
{
  g_return_if_fail (TC_IS_JOURNEY_EDITOR (self));
  g_return_if_fail (repository == NULL || TC_IS_REPOSITORY (repository));

  if (!g_set_object (&self->repository, repository))
    return;
  close_journey (self);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "list");
  reload_list (self);
}

gboolean
tc_journey_editor_get_folded (TcJourneyEditor *self)
{
  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR (self), FALSE);

  return self->folded;
}

void
tc_journey_editor_set_folded (TcJourneyEditor *self,
                              gboolean         folded)
{
  g_return_if_fail (TC_IS_JOURNEY_EDITOR (self));

  folded = !!folded;
  if (self->folded == folded)
    return;
  self->folded = folded;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDED]);
}

void
tc_journey_editor_show_list (TcJourneyEditor *self)
{
  g_return_if_fail (TC_IS_JOURNEY_EDITOR (self));

  if (!is_modified (self))
    {
      really_show_list (self);
      return;
    }
  if (!self->asking)
    ask_to_save (self, G_CALLBACK (on_leave_response_cb));
}

gboolean
tc_journey_editor_confirm_close (TcJourneyEditor *self)
{
  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR (self), TRUE);

  if (!is_modified (self))
    return TRUE;
  /* Already asked, or saving before closing: keep waiting for that. */
  if (!self->asking && !self->close_after_save)
    {
      g_debug ("Asking before closing: journey %" G_GINT64_FORMAT " has unsaved changes",
               tc_journey_get_id (self->journey));
      ask_to_save (self, G_CALLBACK (on_close_response_cb));
    }
  return FALSE;
}

void
tc_journey_editor_present (TcJourneyEditor *self)
{
  g_return_if_fail (TC_IS_JOURNEY_EDITOR (self));

  if (self->logic != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
  else
    reload_list (self);
}
