/* tc-campaign-editor.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-campaign-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "tc-campaign-editor.h"
#include "tc-campaign-report.h"
#include "tc-campaign-view.h"
#include "tc-gui-util.h"
#include "tc-repository.h"
#include "tc-outbox.h"
#include "tc-segment.h"
#include "tc-segment-builder.h"
#include "tc-template-store.h"
#include "tc-template.h"
#include "tc-toasts.h"

/* Recipients queued per transaction while sending starts. */
#define QUEUE_BATCH 500
/* The live count waits this long after the last change. */
#define COUNT_DELAY_MS 250

enum
{
  STEP_AUDIENCE,
  STEP_MESSAGE,
  STEP_SCHEDULE,
  STEP_PREFLIGHT,
  STEP_SEND,
  N_STEPS
};

typedef struct
{
  GtkWidget   *row;       /* AdwComboRow: the template */
  GtkWidget   *share;     /* GtkSpinButton: its percent */
  GtkWidget   *remove;
} Variant;

struct _TcCampaignEditor
{
  AdwWindow        parent_instance;

  AdwToastOverlay *toasts;
  AdwWindowTitle  *title;
  GtkButton       *back_button;
  GtkButton       *next_button;
  GtkProgressBar  *steps_bar;
  GtkStack        *steps;

  /* Audience */
  GtkWidget       *name_row;           /* AdwEntryRow */
  GtkWidget       *all_check;
  GtkWidget       *segments_check;
  GtkWidget       *segments_group;
  GPtrArray       *segment_rows;       /* AdwComboRow, one per saved segment */
  char            *new_segment;        /* saved from here: include it once listed */
  GtkWidget       *count_label;
  GtkWidget       *count_spinner;
  guint            count_id;
  GCancellable    *count_cancellable;

  /* Message */
  GtkWidget       *channel_row;
  GtkWidget       *purpose_row;
  GtkWidget       *variants_group;
  GtkWidget       *add_variant_button;
  Variant          variants[TC_CAMPAIGN_MAX_VARIANTS];
  guint            n_variants;
  GtkWidget       *fallback_row;
  GtkWidget       *test_portion_group;
  GtkWidget       *test_percent_spin;
  GtkWidget       *metric_row;
  GtkWidget       *after_hours_spin;
  GtkWidget       *holdout_spin;
  GtkStringList   *sms_names;
  GtkStringList   *wa_names;

  /* Schedule */
  GtkWidget       *now_check;
  GtkWidget       *at_check;
  GtkWidget       *local_check;
  GtkWidget       *at_row;             /* AdwEntryRow "YYYY-MM-DD HH:MM" */
  GtkWidget       *local_row;          /* AdwEntryRow "HH:MM" */
  GtkWidget       *throttle_spin;
  GtkWidget       *cap_spin;

  /* Pre-flight */
  GtkWidget       *preflight_stack;
  GtkWidget       *preflight_page;     /* AdwPreferencesPage rebuilt each time */
  GtkWidget       *preflight_box;
  GtkWidget       *test_group;
  GtkWidget       *test_row;
  GtkWidget       *test_button;
  GtkWidget       *test_results;
  TcCampaignPreflight *preflight;

  /* Send */
  GtkWidget       *send_summary;
  GtkWidget       *send_button;
  GtkWidget       *progress_box;
  GtkWidget       *progress_bar;
  GtkWidget       *progress_label;
  GtkWidget       *cancel_button;

  TcRepository    *repository;
  TcCampaign      *campaign;
  GCancellable    *cancellable;
  GCancellable    *send_cancellable;
  guint            step;
  gboolean         busy;
  gboolean         queuing;
  guint            n_queued;
  guint            audience_size;
};

G_DEFINE_FINAL_TYPE (TcCampaignEditor, tc_campaign_editor, ADW_TYPE_WINDOW)

enum
{
  SIGNAL_SAVED,
  SIGNAL_SENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update_buttons (TcCampaignEditor *self);
static void schedule_count (TcCampaignEditor *self);

static void
toast (TcCampaignEditor *self,
       const char       *text)
{
  AdwToast *t = adw_toast_new (text);

  adw_toast_set_timeout (t, 6);
  tc_toasts_add (GTK_WIDGET (self->toasts), t);
}

static void
toast_error (TcCampaignEditor *self,
             const GError     *error)
{
  g_autofree char *text = tc_gui_describe_error (error);

  toast (self, text);
}

/* ------------------------------------------------------------------------
 * Small builders
 */

static GtkWidget *
page_new (const char *icon,
          const char *title)
{
  GtkWidget *page = adw_preferences_page_new ();

  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (page), icon);
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), title);
  return page;
}

static GtkWidget *
group_new (GtkWidget  *page,
           const char *title,
           const char *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  return group;
}

static GtkWidget *
check_row_new (GtkWidget  *group,
               const char *title,
               const char *subtitle,
               GtkWidget  *radio_group,
               GtkWidget **check)
{
  GtkWidget *row = adw_action_row_new ();

  *check = gtk_check_button_new ();
  gtk_widget_set_valign (*check, GTK_ALIGN_CENTER);
  if (radio_group != NULL)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (*check), GTK_CHECK_BUTTON (radio_group));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), *check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), *check);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return row;
}

static GtkWidget *
spin_row_new (GtkWidget  *group,
              const char *title,
              const char *subtitle,
              double      max,
              double      step)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (0, max, step);

  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  {
    /* GTK 4.8 does not name a spin button from the row that labels it:
     * the title without its mnemonic mark, for screen readers. */
    g_autoptr(GString) name = g_string_new (title);

    g_string_replace (name, "_", "", 0);
    gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, name->str, -1);
  }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return spin;
}

static GtkWidget *
figure_row_new (GtkWidget  *group,
                const char *title,
                const char *subtitle,
                const char *value,
                const char *icon)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (value);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL && *subtitle != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (icon != NULL)
    adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (icon));
  gtk_widget_add_css_class (label, "numeric");
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return row;
}

static char *
format_count (guint64 n)
{
  return tc_gui_format_number ((guint) MIN (n, G_MAXUINT));
}

/* ------------------------------------------------------------------------
 * Step 1: the audience
 */

static GPtrArray *
chosen_segments (TcCampaignEditor *self,
                 guint             choice)
{
  GPtrArray *names = g_ptr_array_new ();

  for (guint i = 0; self->segment_rows != NULL && i < self->segment_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->segment_rows, i);

      if (adw_combo_row_get_selected (ADW_COMBO_ROW (row)) == choice)
        g_ptr_array_add (names, (gpointer) adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
    }
  g_ptr_array_add (names, NULL);
  return names;
}

static gboolean
audience_all (TcCampaignEditor *self)
{
  return gtk_check_button_get_active (GTK_CHECK_BUTTON (self->all_check));
}

/* The audience as a segment rule: any of the chosen segments and none of
 * the excluded ones. */
static char *
audience_rule (TcCampaignEditor *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) include = chosen_segments (self, 1);
  g_autoptr(GPtrArray) exclude = chosen_segments (self, 2);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "all");
  json_builder_begin_array (builder);
  if (!audience_all (self))
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "any");
      json_builder_begin_array (builder);
      for (guint i = 0; include->pdata[i] != NULL; i++)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "segment");
          json_builder_add_string_value (builder, include->pdata[i]);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      for (guint i = 0; exclude->pdata[i] != NULL; i++)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "not");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "segment");
          json_builder_add_string_value (builder, exclude->pdata[i]);
          json_builder_end_object (builder);
          json_builder_end_object (builder);
        }
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static void
on_counted_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(TcCampaignEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  guint n = 0;
  g_autofree char *number = NULL;
  g_autofree char *text = NULL;

  if (!tc_segment_count_finish (TC_REPOSITORY (object), result, &n, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gtk_spinner_stop (GTK_SPINNER (self->count_spinner));
      gtk_label_set_text (GTK_LABEL (self->count_label), "–");
      toast_error (self, error);
      return;
    }
  gtk_spinner_stop (GTK_SPINNER (self->count_spinner));
  number = tc_gui_format_number (n);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s person", "%s people", n), number);
  gtk_label_set_text (GTK_LABEL (self->count_label), text);
  g_debug ("Audience: %u contacts", n);
}

static gboolean
count_timeout_cb (gpointer user_data)
{
  TcCampaignEditor *self = user_data;
  g_autofree char *rule = audience_rule (self);
  g_autoptr(TcSegment) segment = NULL;
  g_autoptr(GError) error = NULL;

  self->count_id = 0;
  g_cancellable_cancel (self->count_cancellable);
  g_clear_object (&self->count_cancellable);
  self->count_cancellable = g_cancellable_new ();
  segment = tc_segment_new_from_json (rule, &error);
  if (segment == NULL)
    {
      toast_error (self, error);
      return G_SOURCE_REMOVE;
    }
  gtk_spinner_start (GTK_SPINNER (self->count_spinner));
  tc_segment_count_async (self->repository, segment, 0, self->count_cancellable, on_counted_cb,
                          g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
schedule_count (TcCampaignEditor *self)
{
  gtk_widget_set_visible (self->segments_group, !audience_all (self));
  g_clear_handle_id (&self->count_id, g_source_remove);
  self->count_id = g_timeout_add (COUNT_DELAY_MS, count_timeout_cb, self);
}

static void
on_segments_listed_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(TcCampaignEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) segments = NULL;
  const char * const *include = tc_campaign_get_segments (self->campaign);
  const char * const *exclude = tc_campaign_get_exclusions (self->campaign);

  g_autoptr(GHashTable) chosen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  segments = tc_segment_store_list_finish (TC_REPOSITORY (object), result, &error);
  if (segments == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast_error (self, error);
      return;
    }
  /* Listed again after New Segment…: keep what was chosen. */
  for (guint i = 0; i < self->segment_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->segment_rows, i);

      g_hash_table_insert (chosen, g_strdup (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row))),
                           GUINT_TO_POINTER (adw_combo_row_get_selected (ADW_COMBO_ROW (row)) + 1));
      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->segments_group), row);
    }
  g_ptr_array_set_size (self->segment_rows, 0);
  for (guint i = 0; i < segments->len; i++)
    {
      const TcSavedSegment *saved = g_ptr_array_index (segments, i);
      const char *choices[] = { _("Not used"), _("Include"), _("Exclude"), NULL };
      GtkWidget *row = adw_combo_row_new ();
      g_autoptr(GtkStringList) model = gtk_string_list_new (choices);
      guint was = GPOINTER_TO_UINT (g_hash_table_lookup (chosen, saved->name));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), saved->name);
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
      if (g_strcmp0 (saved->name, self->new_segment) == 0)
        adw_combo_row_set_selected (ADW_COMBO_ROW (row), 1);
      else if (was > 0)
        adw_combo_row_set_selected (ADW_COMBO_ROW (row), was - 1);
      else if (include != NULL && g_strv_contains (include, saved->name))
        adw_combo_row_set_selected (ADW_COMBO_ROW (row), 1);
      else if (exclude != NULL && g_strv_contains (exclude, saved->name))
        adw_combo_row_set_selected (ADW_COMBO_ROW (row), 2);
      g_signal_connect_object (row, "notify::selected", G_CALLBACK (schedule_count), self, G_CONNECT_SWAPPED);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->segments_group), row);
      g_ptr_array_add (self->segment_rows, row);
    }
  if (segments->len == 0)
    {
      gtk_widget_set_sensitive (self->segments_check, FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (gtk_widget_get_ancestor (self->segments_check,
                                                                            ADW_TYPE_ACTION_ROW)),
                                   _("No saved segments yet"));
    }
  else
    {
      gtk_widget_set_sensitive (self->segments_check, TRUE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (gtk_widget_get_ancestor (self->segments_check,
                                                                            ADW_TYPE_ACTION_ROW)),
                                   _("Include some segments, exclude others"));
    }
  if (self->new_segment != NULL)
    gtk_check_button_set_active (GTK_CHECK_BUTTON (self->segments_check), TRUE);
  g_clear_pointer (&self->new_segment, g_free);
  schedule_count (self);
}

static void
on_segment_saved_cb (TcCampaignEditor *self,
                     const char       *name)
{
  g_free (self->new_segment);
  self->new_segment = g_strdup (name);
  tc_segment_store_list_async (self->repository, self->cancellable, on_segments_listed_cb, g_object_ref (self));
}

static void
on_new_segment_clicked_cb (TcCampaignEditor *self)
{
  TcSegmentBuilder *builder = tc_segment_builder_new (GTK_WINDOW (self), self->repository, NULL);

  g_signal_connect_object (builder, "saved", G_CALLBACK (on_segment_saved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (builder));
}

static GtkWidget *
build_audience (TcCampaignEditor *self)
{
  GtkWidget *page = page_new ("system-users-symbolic", _("Audience"));
  GtkWidget *group, *row;

  group = group_new (page, _("Campaign"), NULL);
  self->name_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->name_row), _("_Name"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->name_row), TRUE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->name_row);

  group = group_new (page, _("Who Gets It"), _("Only people who agreed to hear from you get the message; "
                                               "the pre-flight step shows who is left out and why."));
  check_row_new (group, _("_Every contact"), NULL, NULL, &self->all_check);
  row = check_row_new (group, _("Contacts in _saved segments"), _("Include some segments, exclude others"),
                       self->all_check, &self->segments_check);
  {
    GtkWidget *button = gtk_button_new_with_mnemonic (_("New Se_gment…"));

    gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
    g_signal_connect_swapped (button, "clicked", G_CALLBACK (on_new_segment_clicked_cb), self);
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  }
  g_signal_connect_object (self->all_check, "toggled", G_CALLBACK (schedule_count), self, G_CONNECT_SWAPPED);

  self->segments_group = group_new (page, _("Segments"),
                                    _("People in any included segment and in no excluded one"));
  gtk_widget_set_visible (self->segments_group, FALSE);

  group = group_new (page, NULL, NULL);
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Audience"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Contacts who match, before consent is checked"));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("system-users-symbolic"));
  self->count_spinner = gtk_spinner_new ();
  self->count_label = gtk_label_new ("–");
  gtk_widget_add_css_class (self->count_label, "title-4");
  gtk_widget_add_css_class (self->count_label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), self->count_spinner);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), self->count_label);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return page;
}

/* ------------------------------------------------------------------------
 * Step 2: the message
 */

static TcCampaignChannel
chosen_channel (TcCampaignEditor *self)
{
  return (TcCampaignChannel) adw_combo_row_get_selected (ADW_COMBO_ROW (self->channel_row));
}

static GtkStringList *
names_for_channel (TcCampaignEditor *self)
{
  return chosen_channel (self) == TC_CAMPAIGN_CHANNEL_SMS ? self->sms_names : self->wa_names;
}

static const char *
selected_name (GtkWidget *combo_row)
{
  GObject *item = adw_combo_row_get_selected_item (ADW_COMBO_ROW (combo_row));

  return item != NULL ? gtk_string_object_get_string (GTK_STRING_OBJECT (item)) : NULL;
}

static void
select_name (GtkWidget  *combo_row,
             const char *name)
{
  GListModel *model = adw_combo_row_get_model (ADW_COMBO_ROW (combo_row));

  if (model == NULL || name == NULL)
    return;
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), name) == 0)
        {
          adw_combo_row_set_selected (ADW_COMBO_ROW (combo_row), i);
          return;
        }
    }
}

static void
relabel_variants (TcCampaignEditor *self)
{
  for (guint i = 0; i < self->n_variants; i++)
    {
      g_autofree char *title = NULL;

      if (self->n_variants == 1)
        title = g_strdup (_("_Template"));
      else
        /* Translators: an A/B variant, "Variant A" */
        title = g_strdup_printf (_("Variant %c"), 'A' + i);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->variants[i].row), title);
      gtk_widget_set_visible (self->variants[i].share, self->n_variants > 1);
      gtk_widget_set_visible (self->variants[i].remove, self->n_variants > 1);
    }
  gtk_widget_set_sensitive (self->add_variant_button, self->n_variants < TC_CAMPAIGN_MAX_VARIANTS);
  gtk_widget_set_visible (self->test_portion_group, self->n_variants > 1);
}

static void
even_shares (TcCampaignEditor *self)
{
  double left = 100;

  for (guint i = 0; i < self->n_variants; i++)
    {
      double share = i + 1 == self->n_variants ? left : (double) (int) (100 / self->n_variants);

      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->variants[i].share), share);
      left -= share;
    }
}

static void on_remove_variant_cb (GtkButton *button, TcCampaignEditor *self);

static void
add_variant_row (TcCampaignEditor *self,
                 const char       *template_name)
{
  Variant *v = &self->variants[self->n_variants];
  GtkWidget *suffix = gtk_label_new ("%");

  v->row = adw_combo_row_new ();
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (v->row), TRUE);
  adw_combo_row_set_model (ADW_COMBO_ROW (v->row), G_LIST_MODEL (names_for_channel (self)));
  select_name (v->row, template_name);
  v->share = gtk_spin_button_new_with_range (0, 100, 5);
  gtk_widget_set_valign (v->share, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (v->share), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Share of the audience, in percent"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (v->row), v->share);
  gtk_widget_add_css_class (suffix, "dim-label");
  g_object_bind_property (v->share, "visible", suffix, "visible", G_BINDING_SYNC_CREATE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (v->row), suffix);
  v->remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (v->remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (v->remove, "flat");
  gtk_widget_set_tooltip_text (v->remove, _("Remove This Variant"));
  g_signal_connect_object (v->remove, "clicked", G_CALLBACK (on_remove_variant_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (v->row), v->remove);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->variants_group), v->row);
  self->n_variants++;
  relabel_variants (self);
}

static void
on_add_variant_cb (TcCampaignEditor *self)
{
  if (self->n_variants >= TC_CAMPAIGN_MAX_VARIANTS)
    return;
  add_variant_row (self, NULL);
  /* A different template than the others, if there is one. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->variants[self->n_variants - 1].row),
                              MIN (self->n_variants - 1,
                                   MAX (g_list_model_get_n_items (G_LIST_MODEL (names_for_channel (self))), 1) - 1));
  even_shares (self);
}

static void
on_remove_variant_cb (GtkButton        *button,
                      TcCampaignEditor *self)
{
  for (guint i = 0; i < self->n_variants; i++)
    if (self->variants[i].remove == GTK_WIDGET (button))
      {
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->variants_group), self->variants[i].row);
        memmove (&self->variants[i], &self->variants[i + 1], (self->n_variants - i - 1) * sizeof (Variant));
        self->n_variants--;
        relabel_variants (self);
        even_shares (self);
        return;
      }
}

static void
on_channel_changed_cb (TcCampaignEditor *self)
{
  GtkStringList *names = names_for_channel (self);

  for (guint i = 0; i < self->n_variants; i++)
    {
      g_autofree char *current = g_strdup (selected_name (self->variants[i].row));

      adw_combo_row_set_model (ADW_COMBO_ROW (self->variants[i].row), G_LIST_MODEL (names));
      select_name (self->variants[i].row, current);
    }
  gtk_widget_set_visible (self->fallback_row, chosen_channel (self) == TC_CAMPAIGN_CHANNEL_WHATSAPP_SMS);
}

static void
on_templates_listed_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(TcCampaignEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) templates = NULL;

  templates = tc_repository_list_templates_finish (TC_REPOSITORY (object), result, &error);
  if (templates == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast_error (self, error);
      return;
    }
  for (guint i = 0; i < templates->len; i++)
    {
      TcTemplate *template = g_ptr_array_index (templates, i);

      if (tc_template_get_kind (template) == TC_TEMPLATE_KIND_SMS)
        gtk_string_list_append (self->sms_names, tc_template_get_name (template));
      else if (tc_template_get_kind (template) == TC_TEMPLATE_KIND_WHATSAPP)
        gtk_string_list_append (self->wa_names, tc_template_get_name (template));
    }
  /* Now that the names are known, select the draft's. */
  for (guint i = 0; i < self->n_variants && i < tc_campaign_get_n_variants (self->campaign); i++)
    select_name (self->variants[i].row, tc_campaign_get_variant (self->campaign, i)->template_name);
  if (tc_campaign_get_n_variants (self->campaign) > 0)
    select_name (self->fallback_row, tc_campaign_get_variant (self->campaign, 0)->fallback_template);
}

static GtkWidget *
build_message (TcCampaignEditor *self)
{
  GtkWidget *page = page_new ("mail-send-symbolic", _("Message"));
  GtkWidget *group;
  const char *channels[] = { _("SMS"), _("WhatsApp"), _("WhatsApp, else SMS"), NULL };
  const char *purposes[] = { _("Promotional"), _("Transactional"), NULL };
  g_autoptr(GtkStringList) channel_model = gtk_string_list_new (channels);
  g_autoptr(GtkStringList) purpose_model = gtk_string_list_new (purposes);

  group = group_new (page, _("Channel"), NULL);
  self->channel_row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->channel_row), _("_Channel"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->channel_row), TRUE);
  adw_combo_row_set_model (ADW_COMBO_ROW (self->channel_row), G_LIST_MODEL (channel_model));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->channel_row),
                               _("With “WhatsApp, else SMS”, those WhatsApp cannot reach get an SMS"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->channel_row);
  self->purpose_row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->purpose_row), _("_Purpose"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->purpose_row), TRUE);
  adw_combo_row_set_model (ADW_COMBO_ROW (self->purpose_row), G_LIST_MODEL (purpose_model));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->purpose_row),
                               _("Promotional messages respect quiet hours and frequency caps"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->purpose_row);

  self->variants_group = group_new (page, _("Message"),
                                    _("Add variants to test different messages: each goes to its share "
                                      "of the audience, and the report compares them."));
  self->add_variant_button = gtk_button_new ();
  gtk_button_set_child (GTK_BUTTON (self->add_variant_button), g_object_new (ADW_TYPE_BUTTON_CONTENT,
                                                                             "icon-name", "list-add-symbolic",
                                                                             "label", _("Add _Variant"),
                                                                             "use-underline", TRUE,
                                                                             NULL));
  gtk_widget_add_css_class (self->add_variant_button, "flat");
  gtk_widget_set_valign (self->add_variant_button, GTK_ALIGN_CENTER);
  g_signal_connect_object (self->add_variant_button, "clicked", G_CALLBACK (on_add_variant_cb), self,
                           G_CONNECT_SWAPPED);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (self->variants_group),
                                           self->add_variant_button);

  self->fallback_row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->fallback_row), _("SMS _fallback"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->fallback_row), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->fallback_row),
                               _("The SMS template for those WhatsApp cannot reach"));
  adw_combo_row_set_model (ADW_COMBO_ROW (self->fallback_row), G_LIST_MODEL (self->sms_names));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->fallback_row);

  {
    const char *metrics[] = { _("Delivery rate"), _("Clicks"), _("Replies"), _("Conversions"), _("Revenue"), NULL };
    g_autoptr(GtkStringList) metric_model = gtk_string_list_new (metrics);

    self->test_portion_group = group_new (page, _("Test First, Then Send the Winner"),
                                          _("Send the variants to a share of the audience first; after a "
                                            "while the best one goes to everyone else."));
    self->test_percent_spin = spin_row_new (self->test_portion_group, _("_Test on this percent of the audience"),
                                            _("0: no test, every variant goes to its share of everyone"),
                                            99, 5);
    self->metric_row = adw_combo_row_new ();
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->metric_row), _("The _best is the one with most"));
    adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->metric_row), TRUE);
    adw_combo_row_set_model (ADW_COMBO_ROW (self->metric_row), G_LIST_MODEL (metric_model));
    adw_combo_row_set_selected (ADW_COMBO_ROW (self->metric_row), TC_CAMPAIGN_METRIC_CLICKS);
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->test_portion_group), self->metric_row);
    self->after_hours_spin = spin_row_new (self->test_portion_group, _("_Hours before choosing"), NULL, 168, 1);
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->after_hours_spin), 4);
    gtk_widget_set_visible (self->test_portion_group, FALSE);
  }

  group = group_new (page, _("Measure the Lift"), NULL);
  self->holdout_spin = spin_row_new (group, _("_Holdout, percent"),
                                     _("A random share of the audience that gets nothing, to compare "
                                       "how many buy with and without the message"), 50, 1);

  g_signal_connect_object (self->channel_row, "notify::selected", G_CALLBACK (on_channel_changed_cb), self,
                           G_CONNECT_SWAPPED);
  return page;
}

/* ------------------------------------------------------------------------
 * Step 3: the schedule
 */

static void
on_schedule_toggled_cb (TcCampaignEditor *self)
{
  gtk_widget_set_visible (self->at_row, gtk_check_button_get_active (GTK_CHECK_BUTTON (self->at_check)));
  gtk_widget_set_visible (self->local_row, gtk_check_button_get_active (GTK_CHECK_BUTTON (self->local_check)));
}

static GtkWidget *
build_schedule (TcCampaignEditor *self)
{
  GtkWidget *page = page_new ("alarm-symbolic", _("Schedule"));
  GtkWidget *group;

  group = group_new (page, _("When"), _("Promotional messages that fall in someone’s quiet hours wait "
                                        "until those end."));
  check_row_new (group, _("_Now"), _("As soon as you send it"), NULL, &self->now_check);
  check_row_new (group, _("At a _date and time"), _("In this computer’s time zone"), self->now_check,
                 &self->at_check);
  self->at_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->at_row), _("Date and time (YYYY-MM-DD HH:MM)"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->at_row);
  check_row_new (group, _("At a time of day in each _recipient’s zone"),
                 _("Everyone gets it at, say, 10:00 where they live"), self->now_check, &self->local_check);
  self->local_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->local_row), _("Time of day (HH:MM)"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->local_row);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->now_check), TRUE);
  g_signal_connect_object (self->now_check, "toggled", G_CALLBACK (on_schedule_toggled_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->at_check, "toggled", G_CALLBACK (on_schedule_toggled_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->local_check, "toggled", G_CALLBACK (on_schedule_toggled_cb), self,
                           G_CONNECT_SWAPPED);
  on_schedule_toggled_cb (self);

  group = group_new (page, _("Pace"), _("Spread a large campaign out so replies and clicks do not all "
                                        "arrive at once."));
  self->throttle_spin = spin_row_new (group, _("Messages per _minute at most"), _("0: as fast as the senders allow"),
                                      100000, 10);
  self->cap_spin = spin_row_new (group, _("Messages per _day at most"), _("0: no daily cap; the rest go the next day"),
                                 10000000, 100);
  return page;
}

/* ------------------------------------------------------------------------
 * Collecting the campaign
 */

/* The form as a working copy of the campaign (same id: saving a draft
 * again updates it). */
static TcCampaign *
collect (TcCampaignEditor *self,
         GError          **error)
{
  g_autoptr(TcCampaign) c = tc_campaign_dup (self->campaign);
  g_autoptr(GPtrArray) include = chosen_segments (self, 1);
  g_autoptr(GPtrArray) exclude = chosen_segments (self, 2);
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  const char *fallback = NULL;

  tc_campaign_set_name (c, name);
  tc_campaign_set_channel (c, chosen_channel (self));
  tc_campaign_set_purpose (c, (TcPurpose) adw_combo_row_get_selected (ADW_COMBO_ROW (self->purpose_row)));
  tc_campaign_set_audience (c, audience_all (self), (const char * const *) include->pdata,
                            (const char * const *) exclude->pdata);
  if (chosen_channel (self) == TC_CAMPAIGN_CHANNEL_WHATSAPP_SMS)
    fallback = selected_name (self->fallback_row);
  tc_campaign_clear_variants (c);
  for (guint i = 0; i < self->n_variants; i++)
    {
      const char *template_name = selected_name (self->variants[i].row);
      double share = self->n_variants == 1 ? 100
                                           : gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->variants[i].share));

      if (template_name == NULL)
        {
          g_set_error_literal (error, TC_CAMPAIGN_ERROR, TC_CAMPAIGN_ERROR_INVALID,
                               chosen_channel (self) == TC_CAMPAIGN_CHANNEL_SMS
                                 ? _("There is no SMS template to send yet: write one in Templates first.")
                                 : _("There is no WhatsApp template to send yet: add one in Templates first."));
          return NULL;
        }
      tc_campaign_add_variant (c, template_name, fallback, share);
    }
  tc_campaign_set_holdout_percent (c, gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->holdout_spin)));
  if (self->n_variants > 1 && gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->test_percent_spin)) > 0)
    tc_campaign_set_test (c, gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->test_percent_spin)),
                          (TcCampaignMetric) adw_combo_row_get_selected (ADW_COMBO_ROW (self->metric_row)),
                          (guint) gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->after_hours_spin)));
  else
    tc_campaign_set_test (c, 0, TC_CAMPAIGN_METRIC_CLICKS, 0);
  /* The senders are not edited here: the copy keeps the draft's own. */
  if (gtk_check_button_get_active (GTK_CHECK_BUTTON (self->at_check)))
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (self->at_row));
      int y, mo, d, h, mi;
      char extra;
      g_autoptr(GDateTime) at = NULL;

      if (sscanf (text, "%d-%d-%d %d:%d%c", &y, &mo, &d, &h, &mi, &extra) != 5 ||
          (at = g_date_time_new_local (y, mo, d, h, mi, 0)) == NULL)
        {
          g_set_error (error, TC_CAMPAIGN_ERROR, TC_CAMPAIGN_ERROR_INVALID,
                       _("“%s” is not a date and time: write it as 2026-12-01 10:00."), text);
          return NULL;
        }
      tc_campaign_set_schedule_at (c, g_date_time_to_unix (at));
    }
  else if (gtk_check_button_get_active (GTK_CHECK_BUTTON (self->local_check)))
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (self->local_row));
      int hour, minute;

      if (!tc_campaign_parse_local_time (text, &hour, &minute))
        {
          g_set_error (error, TC_CAMPAIGN_ERROR, TC_CAMPAIGN_ERROR_INVALID,
                       _("“%s” is not a time of day: write it as 10:00 (00:00 to 23:59)."), text);
          return NULL;
        }
      tc_campaign_set_schedule_local_time (c, text, 0);
    }
  else
    tc_campaign_set_schedule_now (c);
  tc_campaign_set_pacing (c, (guint) gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->throttle_spin)),
                          (guint) gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->cap_spin)));
  if (!tc_campaign_validate (c, error))
    return NULL;
  return g_steal_pointer (&c);
}

/* ------------------------------------------------------------------------
 * Step 4: pre-flight
 */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static guint64
sum_values (GHashTable *table)
{
  GHashTableIter iter;
  gpointer value;
  guint64 sum = 0;

  if (table == NULL)
    return 0;
  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    sum += GPOINTER_TO_UINT (value);
  return sum;
}

static GPtrArray *
sorted_keys (GHashTable *table)
{
  GPtrArray *keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  if (table != NULL)
    {
      g_hash_table_iter_init (&iter, table);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_ptr_array_add (keys, key);
    }
  g_ptr_array_sort (keys, compare_strings);
  return keys;
}

static void
show_preflight (TcCampaignEditor *self)
{
  const TcCampaignPreflight *p = self->preflight;
  GtkWidget *page = page_new ("emblem-ok-symbolic", _("Pre-flight"));
  GtkWidget *group;
  g_autofree char *audience = format_count (p->audience);
  g_autofree char *holdout = format_count (p->holdout);
  g_autofree char *send = format_count (p->send);
  g_autofree char *cost = g_strdup_printf ("$%.2f", p->cost);
  g_autofree char *note = NULL;
  g_autoptr(GPtrArray) skipped = sorted_keys (p->skipped);
  g_autoptr(GPtrArray) deferred = sorted_keys (p->deferred);
  g_autoptr(GPtrArray) segments = sorted_keys (p->segments);
  guint64 n_skipped = 0, n_deferred = 0;

  /* The test send moves to the new page, at its end. */
  if (self->preflight_page != NULL)
    {
      adw_preferences_page_remove (ADW_PREFERENCES_PAGE (self->preflight_page),
                                   ADW_PREFERENCES_GROUP (self->test_group));
      gtk_box_remove (GTK_BOX (self->preflight_box), self->preflight_page);
    }
  self->preflight_page = page;
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_prepend (GTK_BOX (self->preflight_box), page);

  for (guint i = 0; i < skipped->len; i++)
    n_skipped += GPOINTER_TO_UINT (g_hash_table_lookup (p->skipped, skipped->pdata[i]));
  for (guint i = 0; i < deferred->len; i++)
    n_deferred += GPOINTER_TO_UINT (g_hash_table_lookup (p->deferred, deferred->pdata[i]));

  if (p->estimated)
    {
      g_autofree char *sample = format_count (p->sample);

      note = g_strdup_printf (_("Estimated from %s randomly chosen recipients; the audience is counted exactly."),
                              sample);
    }
  group = group_new (page, _("Who Gets It"), note);
  figure_row_new (group, _("Audience"), _("Everyone the campaign is for"), audience, "system-users-symbolic");
  if (p->holdout > 0)
    figure_row_new (group, _("Held out"), _("Get nothing, to measure the lift"), holdout, "view-conceal-symbolic");
  figure_row_new (group, _("Will be sent"), _("Pass every check at their time"), send, "mail-send-symbolic");
  {
    g_autofree char *n = format_count (n_skipped);
    g_autofree char *m = format_count (n_deferred);

    figure_row_new (group, _("Skipped"), _("Will not get it (reasons below)"), n, "action-unavailable-symbolic");
    if (n_deferred > 0)
      figure_row_new (group, _("Deferred"), _("Will get it later (reasons below)"), m, "alarm-symbolic");
  }

  if (skipped->len > 0 || deferred->len > 0)
    {
      group = group_new (page, _("Why Some Are Left Out"), NULL);
      for (guint i = 0; i < skipped->len; i++)
        {
          g_autofree char *n = format_count (GPOINTER_TO_UINT (g_hash_table_lookup (p->skipped, skipped->pdata[i])));

          figure_row_new (group, tc_campaign_reason_describe (skipped->pdata[i]), _("Skipped"), n,
                          "action-unavailable-symbolic");
        }
      for (guint i = 0; i < deferred->len; i++)
        {
          g_autofree char *n = format_count (GPOINTER_TO_UINT (g_hash_table_lookup (p->deferred, deferred->pdata[i])));

          figure_row_new (group, tc_campaign_reason_describe (deferred->pdata[i]), _("Deferred"), n,
                          "alarm-symbolic");
        }
    }

  if (p->warnings->len > 0)
    {
      group = group_new (page, _("Warnings"), NULL);
      for (guint i = 0; i < p->warnings->len; i++)
        {
          const TcPreflightWarning *w = g_ptr_array_index (p->warnings, i);
          GtkWidget *row = adw_action_row_new ();

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), w->message);
          adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
          gtk_widget_add_css_class (row, "warning");
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
        }
    }

  if (segments->len > 0)
    {
      group = group_new (page, _("Message Length"), _("Long SMS are sent, and paid for, in several parts"));
      for (guint i = 0; i < segments->len; i++)
        {
          guint parts = (guint) g_ascii_strtoull (segments->pdata[i], NULL, 10);
          g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u part", "%u parts", parts),
                                                    parts);
          g_autofree char *n = format_count (GPOINTER_TO_UINT (g_hash_table_lookup (p->segments, segments->pdata[i])));

          figure_row_new (group, title, NULL, n, NULL);
        }
    }

  group = group_new (page, _("Cost"), _("The providers’ prices where known, else an estimate"));
  for (guint i = 0; i < p->costs->len; i++)
    {
      const TcPreflightCost *c = g_ptr_array_index (p->costs, i);
      g_autofree char *title = g_strdup_printf ("%s · %s",
                                                g_str_equal (c->country, "*") ? _("Unknown country")
                                                                              : tc_gui_country_name (c->country),
                                                tc_gui_channel_name (c->channel));
      g_autofree char *n = format_count (c->messages);
      g_autofree char *subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s message", "%s messages",
                                                                c->messages), n);
      g_autofree char *amount = g_strdup_printf ("$%.2f", c->cost);

      figure_row_new (group, title, subtitle, amount, NULL);
    }
  {
    GtkWidget *row = figure_row_new (group, _("Total"), NULL, cost, NULL);

    gtk_widget_add_css_class (row, "heading");
  }
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (self->test_group));
}

static void
on_preflight_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TcCampaignEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  TcCampaignPreflight *preflight;

  self->busy = FALSE;
  preflight = tc_campaign_preflight_finish (TC_REPOSITORY (object), result, &error);
  if (preflight == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      toast_error (self, error);
      gtk_stack_set_visible_child_name (GTK_STACK (self->preflight_stack), "checked");
      update_buttons (self);
      return;
    }
  g_clear_pointer (&self->preflight, tc_campaign_preflight_free);
  self->preflight = preflight;
  g_debug ("Pre-flight of campaign %" G_GINT64_FORMAT ": %" G_GUINT64_FORMAT " to send",
           tc_campaign_get_id (self->campaign), preflight->send);
  show_preflight (self);
  gtk_stack_set_visible_child_name (GTK_STACK (self->preflight_stack), "checked");
  update_buttons (self);
}

static void
on_saved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TcCampaignEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tc_campaign_store_save_finish (TC_REPOSITORY (object), result, &error))
    {
      self->busy = FALSE;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      toast_error (self, error);
      gtk_stack_set_visible_child_name (GTK_STACK (self->preflight_stack), "checked");
      update_buttons (self);
      return;
    }
  /* The saved copy (with its id when it was new) is the campaign now. */
  g_set_object (&self->campaign, g_object_get_data (G_OBJECT (self), "tc-pending"));
  g_object_set_data (G_OBJECT (self), "tc-pending", NULL);
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, tc_campaign_get_id (self->campaign));
  tc_campaign_preflight_async (self->repository, tc_campaign_get_id (self->campaign), 0, self->cancellable,
                               on_preflight_cb, g_object_ref (self));
}

/* Saves the form as a draft, then checks it. */
static gboolean
save_and_check (TcCampaignEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcCampaign) campaign = collect (self, &error);

  if (campaign == NULL)
    {
      toast_error (self, error);
      return FALSE;
    }
  self->busy = TRUE;
  gtk_stack_set_visible_child_name (GTK_STACK (self->preflight_stack), "checking");
  g_object_set_data_full (G_OBJECT (self), "tc-pending", g_object_ref (campaign), g_object_unref);
  tc_campaign_store_save_async (self->repository, campaign, self->cancellable, on_saved_cb, g_object_ref (self));
  return TRUE;
}

static void
on_test_sent_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TcCampaignEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  GtkWidget *child;

  gtk_widget_set_sensitive (self->test_button, TRUE);
  rows = tc_campaign_test_send_finish (TC_REPOSITORY (object), result, &error);
  if (rows == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast_error (self, error);
      return;
    }
  while ((child = gtk_widget_get_first_child (self->test_results)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->test_results), child);
  for (guint i = 0; i < rows->len; i++)
    {
      const TcOutboxEntry *entry = g_ptr_array_index (rows, i);
      GtkWidget *row = adw_action_row_new ();
      const char *variant = strrchr (entry->origin, ':');
      g_autofree char *title = g_strdup_printf ("%s · %s", entry->phone, variant != NULL ? variant + 1 : "");
      g_autofree char *body = g_markup_escape_text (entry->body, -1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      if (entry->state == TC_OUTBOX_SKIPPED || entry->state == TC_OUTBOX_DEFERRED)
        {
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), tc_campaign_reason_describe (entry->reason));
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("action-unavailable-symbolic"));
        }
      else
        {
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), body);
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("mail-send-symbolic"));
        }
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
      gtk_list_box_append (GTK_LIST_BOX (self->test_results), row);
    }
  gtk_widget_set_visible (self->test_results, rows->len > 0);
  toast (self, _("Test sent: it goes out with the other messages in a moment"));
}

static void
on_test_clicked_cb (TcCampaignEditor *self)
{
  g_auto(GStrv) parts = g_regex_split_simple ("[\\s,;]+", gtk_editable_get_text (GTK_EDITABLE (self->test_row)),
                                              0, 0);
  g_autoptr(GPtrArray) phones = g_ptr_array_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_ptr_array_add (phones, parts[i]);
  g_ptr_array_add (phones, NULL);
  if (phones->len == 1)
    {
      toast (self, _("Type one or more phone numbers with their country code, like +14155550100"));
      return;
    }
  if (tc_campaign_get_id (self->campaign) == 0)
    return;
  gtk_widget_set_sensitive (self->test_button, FALSE);
  tc_campaign_test_send_async (self->repository, tc_campaign_get_id (self->campaign),
                               (const char * const *) phones->pdata, 0, self->cancellable, on_test_sent_cb,
                               g_object_ref (self));
}

static GtkWidget *
build_preflight (TcCampaignEditor *self)
{
  GtkWidget *stack = gtk_stack_new ();
  GtkWidget *spinner = gtk_spinner_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *group;
  GtkWidget *checking = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *label = gtk_label_new (_("Checking every recipient…"));

  gtk_stack_set_transition_type (GTK_STACK (stack), GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  gtk_spinner_start (GTK_SPINNER (spinner));
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (checking), spinner);
  gtk_box_append (GTK_BOX (checking), label);
  gtk_widget_set_valign (checking, GTK_ALIGN_CENTER);
  gtk_stack_add_named (GTK_STACK (stack), checking, "checking");

  /* The results (rebuilt each time) above the test send. */
  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Send a Test"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Each variant goes now to the numbers you type, through the "
                                           "same checks as everyone else."));
  self->test_group = g_object_ref_sink (group);
  self->test_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->test_row), _("_Phone numbers"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->test_row), TRUE);
  self->test_button = gtk_button_new_with_mnemonic (_("Send _Test"));
  gtk_widget_set_valign (self->test_button, GTK_ALIGN_CENTER);
  g_signal_connect_object (self->test_button, "clicked", G_CALLBACK (on_test_clicked_cb), self, G_CONNECT_SWAPPED);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (self->test_row), self->test_button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->test_row);
  self->test_results = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->test_results), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->test_results, "boxed-list");
  gtk_widget_set_margin_top (self->test_results, 12);
  gtk_widget_set_visible (self->test_results, FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->test_results);
  self->preflight_box = box;
  gtk_stack_add_named (GTK_STACK (stack), box, "checked");
  self->preflight_stack = stack;
  return stack;
}

/* ------------------------------------------------------------------------
 * Step 5: send
 */

static void queue_next (TcCampaignEditor *self);

static void
finish_sending (TcCampaignEditor *self)
{
  self->queuing = FALSE;
  g_signal_emit (self, signals[SIGNAL_SENT], 0, tc_campaign_get_id (self->campaign));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_queued_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TcCampaignEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  guint n_queued = 0, n_left = 0;
  g_autofree char *done = NULL, *total = NULL, *text = NULL;

  if (!tc_campaign_queue_finish (TC_REPOSITORY (object), result, &n_queued, &n_left, &error))
    {
      self->queuing = FALSE;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      toast_error (self, error);
      gtk_widget_set_sensitive (self->send_button, TRUE);
      update_buttons (self);
      return;
    }
  self->n_queued += n_queued;
  done = format_count (self->n_queued);
  total = format_count (self->n_queued + n_left);
  /* Translators: recipients queued so far, of all */
  text = g_strdup_printf (_("Queued %s of %s"), done, total);
  gtk_label_set_text (GTK_LABEL (self->progress_label), text);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar),
                                 self->n_queued + n_left > 0 ? (double) self->n_queued / (self->n_queued + n_left) : 1);
  g_debug ("Campaign %" G_GINT64_FORMAT ": queued %u, %u left", tc_campaign_get_id (self->campaign),
           self->n_queued, n_left);
  if (n_left == 0 || n_queued == 0)
    finish_sending (self);
  else
    queue_next (self);
}

static void
queue_next (TcCampaignEditor *self)
{
  tc_campaign_queue_async (self->repository, tc_campaign_get_id (self->campaign), QUEUE_BATCH, 0,
                           self->send_cancellable, on_queued_cb, g_object_ref (self));
}

static void
on_started_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(TcCampaignEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tc_campaign_start_finish (TC_REPOSITORY (object), result, &self->audience_size, &error))
    {
      self->queuing = FALSE;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      toast_error (self, error);
      gtk_widget_set_sensitive (self->send_button, TRUE);
      gtk_widget_set_visible (self->progress_box, FALSE);
      update_buttons (self);
      return;
    }
  g_debug ("Campaign %" G_GINT64_FORMAT " started: %u recipients", tc_campaign_get_id (self->campaign),
           self->audience_size);
  queue_next (self);
}

static void
on_send_clicked_cb (TcCampaignEditor *self)
{
  if (self->queuing || tc_campaign_get_id (self->campaign) == 0)
    return;
  self->queuing = TRUE;
  self->n_queued = 0;
  g_clear_object (&self->send_cancellable);
  self->send_cancellable = g_cancellable_new ();
  gtk_widget_set_sensitive (self->send_button, FALSE);
  gtk_widget_set_visible (self->progress_box, TRUE);
  gtk_label_set_text (GTK_LABEL (self->progress_label), _("Freezing the audience…"));
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), 0);
  update_buttons (self);
  tc_campaign_start_async (self->repository, tc_campaign_get_id (self->campaign), 0, self->send_cancellable,
                           on_started_cb, g_object_ref (self));
}

static void
on_cancelled_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TcCampaignEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  /* A campaign that never started is still a draft: nothing to cancel. */
  if (!tc_campaign_act_finish (TC_REPOSITORY (object), result, &error) &&
      !g_error_matches (error, TC_CAMPAIGN_ERROR, TC_CAMPAIGN_ERROR_STATE))
    {
      toast_error (self, error);
      return;
    }
  if (error == NULL)
    g_signal_emit (self, signals[SIGNAL_SENT], 0, tc_campaign_get_id (self->campaign));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_cancel_clicked_cb (TcCampaignEditor *self)
{
  if (!self->queuing)
    return;
  g_cancellable_cancel (self->send_cancellable);
  self->queuing = FALSE;
  gtk_widget_set_sensitive (self->cancel_button, FALSE);
  gtk_label_set_text (GTK_LABEL (self->progress_label), _("Cancelling…"));
  tc_campaign_act_async (self->repository, tc_campaign_get_id (self->campaign), TC_CAMPAIGN_CANCEL, NULL,
                         on_cancelled_cb, g_object_ref (self));
}

static void
update_send_summary (TcCampaignEditor *self)
{
  g_autofree char *n = format_count (self->preflight != NULL ? self->preflight->send : 0);
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;
  TcCampaign *c = self->campaign;

  switch (tc_campaign_get_schedule (c))
    {
    case TC_CAMPAIGN_SCHEDULE_NOW:
      when = g_strdup (_("now"));
      break;
    case TC_CAMPAIGN_SCHEDULE_AT:
      {
        g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (tc_campaign_get_send_at (c));
        g_autofree char *date = tc_gui_format_datetime (at);

        /* Translators: %s is a date and time */
        when = g_strdup_printf (_("on %s"), date);
      }
      break;
    case TC_CAMPAIGN_SCHEDULE_LOCAL_TIME:
      /* Translators: %s is a time of day, "10:00" */
      when = g_strdup_printf (_("at %s in each recipient’s time zone"), tc_campaign_get_local_time (c));
      break;
    default:
      g_assert_not_reached ();
    }
  if (self->preflight != NULL && sum_values (self->preflight->deferred) > 0)
    {
      g_autofree char *later = format_count (sum_values (self->preflight->deferred));

      /* Translators: campaign name, a number of people, when ("now"), another number */
      text = g_strdup_printf (_("“%s” goes to about %s people %s, and %s more later, once their quiet hours "
                                "end. Once it starts, the campaign can be paused or cancelled but not edited."),
                              tc_campaign_get_name (c), n, when, later);
    }
  else
    /* Translators: campaign name, a number of people, when ("now") */
    text = g_strdup_printf (_("“%s” goes to about %s people %s. Once it starts, the campaign can be "
                              "paused or cancelled but not edited."),
                            tc_campaign_get_name (c), n, when);
  adw_status_page_set_description (ADW_STATUS_PAGE (self->send_summary), text);
}

static GtkWidget *
build_send (TcCampaignEditor *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  self->send_summary = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->send_summary), "mail-send-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->send_summary), _("Ready to Send"));
  gtk_widget_set_vexpand (self->send_summary, TRUE);

  self->send_button = gtk_button_new_with_mnemonic (_("_Send Campaign"));
  gtk_widget_add_css_class (self->send_button, "pill");
  gtk_widget_add_css_class (self->send_button, "suggested-action");
  gtk_widget_set_halign (self->send_button, GTK_ALIGN_CENTER);
  g_signal_connect_object (self->send_button, "clicked", G_CALLBACK (on_send_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (box), self->send_button);

  self->progress_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_set_size_request (self->progress_box, 320, -1);
  gtk_widget_set_halign (self->progress_box, GTK_ALIGN_CENTER);
  self->progress_bar = gtk_progress_bar_new ();
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress_bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Queuing progress"), -1);
  self->progress_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->progress_label, "dim-label");
  gtk_widget_add_css_class (self->progress_label, "numeric");
  self->cancel_button = gtk_button_new_with_mnemonic (_("_Cancel"));
  gtk_widget_set_halign (self->cancel_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->cancel_button, "pill");
  g_signal_connect_object (self->cancel_button, "clicked", G_CALLBACK (on_cancel_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (self->progress_box), self->progress_bar);
  gtk_box_append (GTK_BOX (self->progress_box), self->progress_label);
  gtk_box_append (GTK_BOX (buttons), self->cancel_button);
  gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (self->progress_box), buttons);
  gtk_widget_set_visible (self->progress_box, FALSE);
  gtk_box_append (GTK_BOX (box), self->progress_box);

  adw_status_page_set_child (ADW_STATUS_PAGE (self->send_summary), box);
  return self->send_summary;
}

/* ------------------------------------------------------------------------
 * Navigation
 */

static const char *const step_names[N_STEPS] = { "audience", "message", "schedule", "preflight", "send" };

static void
update_buttons (TcCampaignEditor *self)
{
  static const char *const titles[N_STEPS] = {
    N_("Audience"), N_("Message"), N_("Schedule"), N_("Pre-flight"), N_("Send"),
  };
  g_autofree char *subtitle = NULL;

  /* Translators: "Step 2 of 5 · Message" */
  subtitle = g_strdup_printf (_("Step %u of %u · %s"), self->step + 1, N_STEPS, _(titles[self->step]));
  adw_window_title_set_subtitle (self->title, subtitle);
  gtk_progress_bar_set_fraction (self->steps_bar, (self->step + 1.0) / N_STEPS);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.back", self->step > 0 && !self->busy && !self->queuing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.next", self->step + 1 < N_STEPS && !self->busy);
  gtk_widget_set_visible (GTK_WIDGET (self->next_button), self->step + 1 < N_STEPS);
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), self->step > 0);
}

static void
go_to (TcCampaignEditor *self,
       guint             step)
{
  self->step = step;
  gtk_stack_set_visible_child_name (self->steps, step_names[step]);
  if (step == STEP_AUDIENCE)
    gtk_widget_grab_focus (self->name_row);
  if (step == STEP_SEND)
    {
      update_send_summary (self);
      gtk_widget_grab_focus (self->send_button);
    }
  update_buttons (self);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TcCampaignEditor *self = TC_CAMPAIGN_EDITOR (widget);
  g_autoptr(GError) error = NULL;

  if (self->busy || self->step + 1 >= N_STEPS)
    return;
  switch (self->step)
    {
    case STEP_AUDIENCE:
      if (*gtk_editable_get_text (GTK_EDITABLE (self->name_row)) == '\0')
        {
          toast (self, _("Give the campaign a name, so you can find it in the list"));
          gtk_widget_grab_focus (self->name_row);
          return;
        }
      if (!audience_all (self))
        {
          g_autoptr(GPtrArray) include = chosen_segments (self, 1);

          if (include->len == 1)
            {
              toast (self, _("Include at least one segment, or choose every contact"));
              return;
            }
        }
      break;
    case STEP_SCHEDULE:
      {
        g_autoptr(TcCampaign) check = collect (self, &error);

        if (check == NULL)
          {
            toast_error (self, error);
            return;
          }
        if (!save_and_check (self))
          return;
      }
      break;
    case STEP_PREFLIGHT:
      if (self->preflight == NULL)
        return;
      break;
    default:
      break;
    }
  go_to (self, self->step + 1);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TcCampaignEditor *self = TC_CAMPAIGN_EDITOR (widget);

  if (self->step == 0 || self->busy || self->queuing)
    return;
  go_to (self, self->step - 1);
}

static gboolean
tc_campaign_editor_close_request (GtkWindow *window)
{
  TcCampaignEditor *self = TC_CAMPAIGN_EDITOR (window);

  if (self->queuing)
    {
      toast (self, _("Wait until everyone is queued, or press Cancel"));
      return TRUE;
    }
  return GTK_WINDOW_CLASS (tc_campaign_editor_parent_class)->close_request (window);
}

/* ------------------------------------------------------------------------ */

static void
prefill (TcCampaignEditor *self)
{
  TcCampaign *c = self->campaign;

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), tc_campaign_get_name (c));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (tc_campaign_get_audience_all (c) ? self->all_check
                                                                                  : self->segments_check), TRUE);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->channel_row), tc_campaign_get_channel (c));
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->purpose_row), tc_campaign_get_purpose (c));
  for (guint i = 0; i < MAX (tc_campaign_get_n_variants (c), 1); i++)
    {
      const TcCampaignVariant *v = i < tc_campaign_get_n_variants (c) ? tc_campaign_get_variant (c, i) : NULL;

      add_variant_row (self, v != NULL ? v->template_name : NULL);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->variants[i].share), v != NULL ? v->percent : 100);
    }
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->holdout_spin), tc_campaign_get_holdout_percent (c));
  {
    TcCampaignMetric metric;
    guint after_hours;

    if (tc_campaign_get_winner_rule (c, &metric, &after_hours))
      {
        gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->test_percent_spin), tc_campaign_get_test_percent (c));
        adw_combo_row_set_selected (ADW_COMBO_ROW (self->metric_row), metric);
        gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->after_hours_spin), after_hours);
      }
  }
  switch (tc_campaign_get_schedule (c))
    {
    case TC_CAMPAIGN_SCHEDULE_AT:
      {
        g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (tc_campaign_get_send_at (c));
        g_autofree char *text = g_date_time_format (at, "%Y-%m-%d %H:%M");

        gtk_editable_set_text (GTK_EDITABLE (self->at_row), text);
        gtk_check_button_set_active (GTK_CHECK_BUTTON (self->at_check), TRUE);
      }
      break;
    case TC_CAMPAIGN_SCHEDULE_LOCAL_TIME:
      gtk_editable_set_text (GTK_EDITABLE (self->local_row), tc_campaign_get_local_time (c));
      gtk_check_button_set_active (GTK_CHECK_BUTTON (self->local_check), TRUE);
      break;
    case TC_CAMPAIGN_SCHEDULE_NOW:
    default:
      gtk_check_button_set_active (GTK_CHECK_BUTTON (self->now_check), TRUE);
      break;
    }
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->throttle_spin), tc_campaign_get_throttle_per_minute (c));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->cap_spin), tc_campaign_get_daily_cap (c));
  on_channel_changed_cb (self);
}

TcCampaignEditor *
tc_campaign_editor_new (GtkWindow    *parent,
                        TcRepository *repository,
                        TcCampaign   *draft)
{
  TcCampaignEditor *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (draft == NULL || TC_IS_CAMPAIGN (draft), NULL);

  self = g_object_new (TC_TYPE_CAMPAIGN_EDITOR, "transient-for", parent, NULL);
  self->repository = g_object_ref (repository);
  if (draft != NULL)
    {
      self->campaign = g_object_ref (draft);
      gtk_window_set_title (GTK_WINDOW (self), _("Edit Campaign"));
    }
  else
    self->campaign = tc_campaign_new ();
  adw_window_title_set_title (self->title, gtk_window_get_title (GTK_WINDOW (self)));
  prefill (self);
  tc_segment_store_list_async (repository, self->cancellable, on_segments_listed_cb, g_object_ref (self));
  tc_repository_list_templates_async (repository, -1, self->cancellable, on_templates_listed_cb,
                                      g_object_ref (self));
  go_to (self, STEP_AUDIENCE);
  return self;
}

static void
tc_campaign_editor_dispose (GObject *object)
{
  TcCampaignEditor *self = TC_CAMPAIGN_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->count_cancellable);
  g_clear_handle_id (&self->count_id, g_source_remove);

  G_OBJECT_CLASS (tc_campaign_editor_parent_class)->dispose (object);
}

static void
tc_campaign_editor_finalize (GObject *object)
{
  TcCampaignEditor *self = TC_CAMPAIGN_EDITOR (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->count_cancellable);
  g_clear_object (&self->send_cancellable);
  g_clear_object (&self->repository);
  g_clear_object (&self->campaign);
  g_clear_object (&self->sms_names);
  g_clear_object (&self->wa_names);
  g_clear_pointer (&self->segment_rows, g_ptr_array_unref);
  g_free (self->new_segment);
  g_clear_object (&self->test_group);
  g_clear_pointer (&self->preflight, tc_campaign_preflight_free);

  G_OBJECT_CLASS (tc_campaign_editor_parent_class)->finalize (object);
}

static void
tc_campaign_editor_class_init (TcCampaignEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = tc_campaign_editor_dispose;
  object_class->finalize = tc_campaign_editor_finalize;
  window_class->close_request = tc_campaign_editor_close_request;

  signals[SIGNAL_SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SIGNAL_SENT] = g_signal_new ("sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/textcast/Textcast/tc-campaign-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, TcCampaignEditor, toasts);
  gtk_widget_class_bind_template_child (widget_class, TcCampaignEditor, title);
  gtk_widget_class_bind_template_child (widget_class, TcCampaignEditor, back_button);
  gtk_widget_class_bind_template_child (widget_class, TcCampaignEditor, next_button);
  gtk_widget_class_bind_template_child (widget_class, TcCampaignEditor, steps_bar);
  gtk_widget_class_bind_template_child (widget_class, TcCampaignEditor, steps);

  gtk_widget_class_install_action (widget_class, "editor.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "editor.back", NULL, back_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK, "editor.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK, "editor.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "editor.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "editor.back", NULL);
}

static void
tc_campaign_editor_init (TcCampaignEditor *self)
{
  self->cancellable = g_cancellable_new ();
  self->segment_rows = g_ptr_array_new ();
  self->sms_names = gtk_string_list_new (NULL);
  self->wa_names = gtk_string_list_new (NULL);
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_stack_add_named (self->steps, build_audience (self), step_names[STEP_AUDIENCE]);
  gtk_stack_add_named (self->steps, build_message (self), step_names[STEP_MESSAGE]);
  gtk_stack_add_named (self->steps, build_schedule (self), step_names[STEP_SCHEDULE]);
  gtk_stack_add_named (self->steps, build_preflight (self), step_names[STEP_PREFLIGHT]);
  gtk_stack_add_named (self->steps, build_send (self), step_names[STEP_SEND]);
}
