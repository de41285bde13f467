/* tc-campaigns-page.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-campaigns-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tc-campaign-editor.h"
#include "tc-campaign-report.h"
#include "tc-campaign-view.h"
#include "tc-campaigns-page.h"
#include "tc-gui-util.h"
#include "tc-repository.h"

/* How often the list is read again while a campaign is live. */
#define REFRESH_SECONDS 5

struct _TcCampaignsPage
{
  GtkWidget       parent_instance;

  GtkStack       *stack;
  GtkStack       *list_stack;
  GtkSpinner     *spinner;
  AdwStatusPage  *error_page;
  GtkListBox     *list;
  GtkWidget      *new_button;
  TcCampaignView *view;

  TcRepository   *repository;
  GCancellable   *cancellable;
  GPtrArray      *campaigns;      /* TcCampaign, as listed */
  guint           refresh_id;
  gboolean        folded;
  gboolean        loading;
  gboolean        want_focus;     /* focus the list once it is read */
};

G_DEFINE_FINAL_TYPE (TcCampaignsPage, tc_campaigns_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_FOLDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reload (TcCampaignsPage *self);

/* ------------------------------------------------------------------------
 * Rows
 */

static GtkWidget *
row_figure (const char *caption,
            GtkLabel  **value_label)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *value = gtk_label_new ("–");
  GtkWidget *label = gtk_label_new (caption);

  gtk_widget_add_css_class (box, "tc-row-figure");
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (value, "numeric");
  gtk_widget_add_css_class (value, "heading");
  gtk_label_set_xalign (GTK_LABEL (value), 1);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_box_append (GTK_BOX (box), value);
  gtk_box_append (GTK_BOX (box), label);
  *value_label = GTK_LABEL (value);
  return box;
}

static char *
describe_campaign (TcCampaign *campaign)
{
  TcCampaignState state = tc_campaign_get_state (campaign);
  GString *text = g_string_new (tc_campaign_channel_name (tc_campaign_get_channel (campaign)));
  gint64 when;

  g_string_append_printf (text, " · %s", tc_gui_purpose_name (tc_campaign_get_purpose (campaign)));
  if (tc_campaign_get_n_variants (campaign) > 1)
    /* Translators: a campaign that sends different messages to compare them */
    g_string_append_printf (text, " · %s", _("A/B test"));
  if (state == TC_CAMPAIGN_DRAFT)
    when = tc_campaign_get_created_at (campaign);
  else
    when = tc_campaign_get_started_at (campaign);
  if (when > 0)
    {
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (when);
      g_autofree char *date = tc_gui_format_datetime (at);

      g_string_append_printf (text, " · %s", date);
    }
  return g_string_free (text, FALSE);
}

static void
on_row_report_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GtkWidget) row = user_data;
  g_autoptr(TcCampaignReport) report = NULL;
  g_autoptr(GError) error = NULL;
  GtkLabel **labels = g_object_get_data (G_OBJECT (row), "tc-figures");
  guint64 values[3];

  report = tc_campaign_report_finish (TC_REPOSITORY (object), result, &error);
  if (report == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read a campaign's figures: %s", error->message);
      return;
    }
  if (labels == NULL)
    return;
  values[0] = report->total->sent;
  values[1] = report->total->delivered;
  values[2] = report->total->conversions;
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *text = tc_gui_format_number ((guint) MIN (values[i], G_MAXUINT));

      gtk_label_set_text (labels[i], text);
    }
}

static GtkWidget *
campaign_row_new (TcCampaignsPage *self,
                  TcCampaign      *campaign)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *pill = gtk_label_new (tc_campaign_state_name (tc_campaign_get_state (campaign)));
  g_autofree char *subtitle = describe_campaign (campaign);
  g_autofree char *title = g_markup_escape_text (tc_campaign_get_name (campaign), -1);
  GtkLabel **labels = g_new0 (GtkLabel *, 3);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (
    tc_campaign_get_channel (campaign) == TC_CAMPAIGN_CHANNEL_SMS ? "mail-send-symbolic"
                                                                   : "user-available-symbolic"));
  if (tc_campaign_get_state (campaign) != TC_CAMPAIGN_DRAFT)
    {
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), row_figure (_("sent"), &labels[0]));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), row_figure (_("delivered"), &labels[1]));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), row_figure (_("conversions"), &labels[2]));
      g_object_set_data_full (G_OBJECT (row), "tc-figures", labels, g_free);
      tc_campaign_report_async (self->repository, tc_campaign_get_id (campaign), TC_CAMPAIGN_GROUP_VARIANT,
                                NULL, self->cancellable, on_row_report_cb, g_object_ref (row));
    }
  else
    g_free (labels);
  gtk_widget_add_css_class (pill, "tc-state-pill");
  gtk_widget_add_css_class (pill, tc_campaign_state_css_class (tc_campaign_get_state (campaign)));
  gtk_widget_set_valign (pill, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_start (pill, 6);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), pill);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (
    tc_campaign_get_state (campaign) == TC_CAMPAIGN_DRAFT ? "document-edit-symbolic" : "go-next-symbolic"));
  g_object_set_data_full (G_OBJECT (row), "tc-campaign", g_object_ref (campaign), g_object_unref);
  return row;
}

static gboolean
any_live (TcCampaignsPage *self)
{
  for (guint i = 0; self->campaigns != NULL && i < self->campaigns->len; i++)
    {
      TcCampaignState state = tc_campaign_get_state (g_ptr_array_index (self->campaigns, i));

      if (state == TC_CAMPAIGN_SENDING || state == TC_CAMPAIGN_SCHEDULED)
        return TRUE;
    }
  return FALSE;
}

static gboolean
refresh_timeout_cb (gpointer user_data)
{
  TcCampaignsPage *self = user_data;

  self->refresh_id = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

static void
on_listed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TcCampaignsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *campaigns;
  GtkWidget *child, *focus, *focus_row = NULL;
  GtkRoot *root;
  gint64 focused_id = 0;

  campaigns = tc_campaign_store_list_finish (TC_REPOSITORY (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  gtk_spinner_stop (self->spinner);
  if (campaigns == NULL)
    {
      g_autofree char *text = tc_gui_describe_error (error);

      adw_status_page_set_description (self->error_page, text);
      gtk_stack_set_visible_child_name (self->list_stack, "error");
      return;
    }
  /* Rows are made anew: the focus stays on the same campaign's row. */
  root = gtk_widget_get_root (GTK_WIDGET (self));
  focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->list)))
    {
      GtkWidget *row = GTK_IS_LIST_BOX_ROW (focus) ? focus : gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_BOX_ROW);
      TcCampaign *campaign = row != NULL ? g_object_get_data (G_OBJECT (row), "tc-campaign") : NULL;

      focused_id = campaign != NULL ? tc_campaign_get_id (campaign) : 0;
      self->want_focus = TRUE;
    }
  g_clear_pointer (&self->campaigns, g_ptr_array_unref);
  self->campaigns = campaigns;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < campaigns->len; i++)
    {
      TcCampaign *campaign = g_ptr_array_index (campaigns, i);
      GtkWidget *row = campaign_row_new (self, campaign);

      gtk_list_box_append (self->list, row);
      if (focus_row == NULL && (focused_id == 0 || focused_id == tc_campaign_get_id (campaign)))
        focus_row = row;
    }
  gtk_stack_set_visible_child_name (self->list_stack, campaigns->len > 0 ? "list" : "empty");
  if (self->want_focus && gtk_widget_get_mapped (GTK_WIDGET (self)) &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "list") == 0)
    gtk_widget_grab_focus (focus_row != NULL ? focus_row : self->new_button);
  self->want_focus = FALSE;
  g_debug ("Listed %u campaigns", campaigns->len);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (any_live (self) && gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->refresh_id = g_timeout_add_seconds (REFRESH_SECONDS, refresh_timeout_cb, self);
}

static void
reload (TcCampaignsPage *self)
{
  if (self->repository == NULL || self->loading)
    return;
  self->loading = TRUE;
  if (self->campaigns == NULL)
    {
      gtk_spinner_start (self->spinner);
      gtk_stack_set_visible_child_name (self->list_stack, "loading");
    }
  tc_campaign_store_list_async (self->repository, self->cancellable, on_listed_cb, g_object_ref (self));
}

/* ------------------------------------------------------------------------
 * Opening
 */

static void
show_view (TcCampaignsPage *self,
           gint64           id)
{
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  tc_campaign_view_show (self->view, self->repository, id);
  gtk_stack_set_visible_child_name (self->stack, "view");
  /* Its first button: its keys (Ctrl+S, Alt+Left) work at once. */
  gtk_widget_grab_focus (GTK_WIDGET (self->view));
}

static void
on_editor_saved_cb (TcCampaignEditor *editor,
                    gint64            id,
                    TcCampaignsPage  *self)
{
  reload (self);
}

static void
on_editor_sent_cb (TcCampaignEditor *editor,
                   gint64            id,
                   TcCampaignsPage  *self)
{
  reload (self);
  show_view (self, id);
}

static void
open_editor (TcCampaignsPage *self,
             TcCampaign      *draft)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  TcCampaignEditor *editor;

  if (self->repository == NULL)
    return;
  editor = tc_campaign_editor_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->repository, draft);
  g_signal_connect_object (editor, "saved", G_CALLBACK (on_editor_saved_cb), self, 0);
  g_signal_connect_object (editor, "sent", G_CALLBACK (on_editor_sent_cb), self, 0);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
on_row_activated_cb (GtkListBox      *list,
                     GtkListBoxRow   *row,
                     TcCampaignsPage *self)
{
  TcCampaign *campaign = g_object_get_data (G_OBJECT (row), "tc-campaign");

  if (campaign == NULL)
    return;
  if (tc_campaign_get_state (campaign) == TC_CAMPAIGN_DRAFT)
    open_editor (self, campaign);
  else
    show_view (self, tc_campaign_get_id (campaign));
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  open_editor (TC_CAMPAIGNS_PAGE (widget), NULL);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  tc_campaigns_page_show_list (TC_CAMPAIGNS_PAGE (widget));
}

/* ------------------------------------------------------------------------ */

void
tc_campaigns_page_set_repository (TcCampaignsPage *self,
                                  TcRepository    *repository)
{
  g_return_if_fail (TC_IS_CAMPAIGNS_PAGE (self));
  g_return_if_fail (TC_IS_REPOSITORY (repository));

  g_set_object (&self->repository, repository);
  g_clear_pointer (&self->campaigns, g_ptr_array_unref);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    reload (self);
}

gboolean
tc_campaigns_page_get_folded (TcCampaignsPage *self)
{
  g_return_val_if_fail (TC_IS_CAMPAIGNS_PAGE (self), FALSE);

  return self->folded;
}

void
tc_campaigns_page_set_folded (TcCampaignsPage *self,
                              gboolean         folded)
{
  g_return_if_fail (TC_IS_CAMPAIGNS_PAGE (self));

  folded = !!folded;
  if (self->folded == folded)
    return;
  self->folded = folded;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDED]);
}

void
tc_campaigns_page_show_list (TcCampaignsPage *self)
{
  g_return_if_fail (TC_IS_CAMPAIGNS_PAGE (self));

  gtk_stack_set_visible_child_name (self->stack, "list");
  /* New Campaign now; the first row once the list is read. */
  gtk_widget_grab_focus (self->new_button);
  self->want_focus = TRUE;
  reload (self);
}

static void
tc_campaigns_page_map (GtkWidget *widget)
{
  TcCampaignsPage *self = TC_CAMPAIGNS_PAGE (widget);

  GTK_WIDGET_CLASS (tc_campaigns_page_parent_class)->map (widget);
  reload (self);
}

static void
tc_campaigns_page_unmap (GtkWidget *widget)
{
  TcCampaignsPage *self = TC_CAMPAIGNS_PAGE (widget);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  GTK_WIDGET_CLASS (tc_campaigns_page_parent_class)->unmap (widget);
}

static void
tc_campaigns_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TcCampaignsPage *self = TC_CAMPAIGNS_PAGE (object);

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
tc_campaigns_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TcCampaignsPage *self = TC_CAMPAIGNS_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      tc_campaigns_page_set_folded (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_campaigns_page_dispose (GObject *object)
{
  TcCampaignsPage *self = TC_CAMPAIGNS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TC_TYPE_CAMPAIGNS_PAGE);

  G_OBJECT_CLASS (tc_campaigns_page_parent_class)->dispose (object);
}

static void
tc_campaigns_page_finalize (GObject *object)
{
  TcCampaignsPage *self = TC_CAMPAIGNS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->repository);
  g_clear_pointer (&self->campaigns, g_ptr_array_unref);

  G_OBJECT_CLASS (tc_campaigns_page_parent_class)->finalize (object);
}

static void
tc_campaigns_page_class_init (TcCampaignsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = tc_campaigns_page_get_property;
  object_class->set_property = tc_campaigns_page_set_property;
  object_class->dispose = tc_campaigns_page_dispose;
  object_class->finalize = tc_campaigns_page_finalize;
  widget_class->map = tc_campaigns_page_map;
  widget_class->unmap = tc_campaigns_page_unmap;

  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TC_TYPE_CAMPAIGN_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/textcast/Textcast/tc-campaigns-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TcCampaignsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TcCampaignsPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, TcCampaignsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, TcCampaignsPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, TcCampaignsPage, list);
  gtk_widget_class_bind_template_child (widget_class, TcCampaignsPage, view);
  gtk_widget_class_bind_template_child (widget_class, TcCampaignsPage, new_button);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "campaigns.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "campaigns.back", NULL, back_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "campaigns.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "campaigns.back", NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tc_campaigns_page_init (TcCampaignsPage *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
