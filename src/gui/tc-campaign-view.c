/* tc-campaign-view.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-campaign-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tc-campaign-view.h"
#include "tc-chart.h"
#include "tc-gate.h"
#include "tc-gui-util.h"
#include "tc-repository.h"

/* How often the report is read again while the campaign is live. */
#define REFRESH_SECONDS 3
/* Recipients queued per transaction when queuing is finished here. */
#define QUEUE_BATCH 500

enum
{
  FIG_AUDIENCE,
  FIG_SENT,
  FIG_DELIVERED,
  FIG_FAILED,
  FIG_SKIPPED,
  FIG_REPLIES,
  FIG_CLICKS,
  FIG_CONVERSIONS,
  FIG_REVENUE,
  FIG_COST,
  N_FIGURES
};

struct _TcCampaignView
{
  GtkWidget         parent_instance;

  GtkWidget        *box;
  AdwWindowTitle   *title;
  GtkStack         *stack;
  GtkSpinner       *spinner;
  AdwStatusPage    *error_page;
  GtkBox           *content;
  GtkButton        *export_button;
  GtkButton        *pause_button;
  GtkButton        *cancel_button;

  GtkLabel         *state_label;
  GtkLabel         *status_label;
  GtkProgressBar   *progress;
  GtkLabel         *figure_values[N_FIGURES];
  GtkLabel         *figure_notes[N_FIGURES];
  TcChart          *timeline_chart;
  TcChart          *funnel_chart;
  TcChart          *variants_chart;
  GtkLabel         *lift_label;
  GtkWidget        *variants_card;
  GtkWidget        *reasons_group;
  GtkListBox       *reasons_list;

  TcRepository     *repository;
  gint64            id;
  TcCampaign       *campaign;
  TcCampaignReport *report;
  GCancellable     *cancellable;
  guint             refresh_id;
  gboolean          busy;
  gboolean          queuing;
};

G_DEFINE_FINAL_TYPE (TcCampaignView, tc_campaign_view, GTK_TYPE_WIDGET)

static void refresh (TcCampaignView *self);

const char *
tc_campaign_state_name (TcCampaignState state)
{
  switch (state)
    {
    case TC_CAMPAIGN_DRAFT:
      return C_("campaign state", "Draft");
    case TC_CAMPAIGN_SCHEDULED:
      return C_("campaign state", "Scheduled");
    case TC_CAMPAIGN_SENDING:
      return C_("campaign state", "Sending");
    case TC_CAMPAIGN_PAUSED:
      return C_("campaign state", "Paused");
    case TC_CAMPAIGN_SENT:
      return C_("campaign state", "Sent");
    case TC_CAMPAIGN_CANCELLED:
      return C_("campaign state", "Cancelled");
    default:
      g_return_val_if_reached ("");
    }
}

const char *
tc_campaign_state_css_class (TcCampaignState state)
{
  switch (state)
    {
    case TC_CAMPAIGN_DRAFT:
      return "tc-state-draft";
    case TC_CAMPAIGN_SCHEDULED:
    case TC_CAMPAIGN_SENDING:
      return "tc-state-live";
    case TC_CAMPAIGN_PAUSED:
      return "tc-state-paused";
    case TC_CAMPAIGN_SENT:
      return "tc-state-sent";
    case TC_CAMPAIGN_CANCELLED:
      return "tc-state-cancelled";
    default:
      g_return_val_if_reached ("tc-state-draft");
    }
}

const char *
tc_campaign_channel_name (TcCampaignChannel channel)
{
  switch (channel)
    {
    case TC_CAMPAIGN_CHANNEL_SMS:
      return _("SMS");
    case TC_CAMPAIGN_CHANNEL_WHATSAPP:
      return _("WhatsApp");
    case TC_CAMPAIGN_CHANNEL_WHATSAPP_SMS:
      return _("WhatsApp, else SMS");
    default:
      g_return_val_if_reached ("");
    }
}

const char *
tc_campaign_reason_describe (const char *code)
{
  g_return_val_if_fail (code != NULL, "");

  for (TcGateReason reason = TC_GATE_REASON_ERASED; reason <= TC_GATE_REASON_QUIET_HOURS; reason++)
    if (g_strcmp0 (tc_gate_reason_to_string (reason), code) == 0)
      return tc_gate_reason_describe (reason);
  if (g_str_equal (code, "cancelled"))
    return _("The campaign was cancelled before it was sent");
  if (g_str_equal (code, TC_CAMPAIGN_REASON_MESSAGE_ERROR))
    return _("The message could not be made for this person (check the template’s fields)");
  if (g_str_equal (code, "schedule"))
    return _("Waiting for the campaign’s scheduled time");
  if (g_str_equal (code, "paused"))
    return _("Waiting while the campaign is paused");
  if (g_str_equal (code, "daily_cap"))
    return _("Held for a later day by the daily cap");
  if (g_str_equal (code, "throttle"))
    return _("Spread out by the sending speed limit");
  return code;
}

static void
csv_field (GString    *csv,
           const char *text)
{
  if (strpbrk (text, ",\"\n\r") == NULL)
    {
      g_string_append (csv, text);
      return;
    }
  g_string_append_c (csv, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *p);
    }
  g_string_append_c (csv, '"');
}

static guint64
sum_table (GHashTable *table)
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

static void
csv_row (GString                 *csv,
         const char              *key,
         const TcCampaignFigures *f)
{
  char revenue[G_ASCII_DTOSTR_BUF_SIZE], cost[G_ASCII_DTOSTR_BUF_SIZE];

  csv_field (csv, key);
  g_ascii_formatd (revenue, sizeof revenue, "%.2f", f->revenue);
  g_ascii_formatd (cost, sizeof cost, "%.4f", f->cost);
  g_string_append_printf (csv,
                          ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT
                          ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT
                          ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT
                          ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT
                          ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%s,%s\r\n",
                          f->audience, f->intended, f->sent, f->delivered, f->read, f->failed,
                          sum_table (f->skipped), f->deferred, f->replies, f->opt_outs, f->clicks,
                          f->unique_clicks, f->conversions, f->converted, revenue, cost);
}

char *
tc_campaign_report_to_csv (const TcCampaignReport *report)
{
  GString *csv;

  g_return_val_if_fail (report != NULL, NULL);

  csv = g_string_new ("group,audience,intended,sent,delivered,read,failed,skipped,deferred,"
                      "replies,opt_outs,clicks,unique_clicks,conversions,converted,revenue,cost\r\n");
  csv_row (csv, "total", report->total);
  for (guint i = 0; i < report->variants->len; i++)
    {
      const TcCampaignFigures *f = g_ptr_array_index (report->variants, i);

      csv_row (csv, f->key, f);
    }
  for (guint i = 0; i < report->groups->len; i++)
    {
      const TcCampaignFigures *f = g_ptr_array_index (report->groups, i);

      csv_row (csv, f->key, f);
    }
  return g_string_free (csv, FALSE);
}

/* ------------------------------------------------------------------------
 * Building the report's widgets (once)
 */

static GtkWidget *
card_new (const char  *title,
          GtkWidget   *child,
          GtkWidget  **out_box)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
  GtkWidget *label = gtk_label_new (title);

  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "tc-chart-card");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);
  if (child != NULL)
    gtk_box_append (GTK_BOX (box), child);
  if (out_box != NULL)
    *out_box = box;
  return box;
}

static void
build_report_widgets (TcCampaignView *self)
{
  static const char *const captions[N_FIGURES] = {
    N_("Audience"), N_("Sent"), N_("Delivered"), N_("Failed"), N_("Skipped"),
    N_("Replies"), N_("Clicks"), N_("Conversions"), N_("Revenue"), N_("Cost"),
  };
  GtkWidget *status_box, *row, *flow, *card;

  /* State and progress. */
  status_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_add_css_class (status_box, "card");
  gtk_widget_add_css_class (status_box, "tc-chart-card");
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  self->state_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->state_label), "tc-state-pill");
  gtk_widget_set_valign (GTK_WIDGET (self->state_label), GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->state_label));
  self->status_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->status_label, 0);
  gtk_label_set_wrap (self->status_label, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->status_label), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "dim-label");
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->status_label));
  gtk_box_append (GTK_BOX (status_box), row);
  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sending progress"), -1);
  gtk_box_append (GTK_BOX (status_box), GTK_WIDGET (self->progress));
  gtk_box_append (self->content, status_box);

  /* The figures, as tiles. */
  flow = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), TRUE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (flow), 2);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 5);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 12);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 12);
  for (guint i = 0; i < N_FIGURES; i++)
    {
      GtkWidget *tile = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *caption = gtk_label_new (_(captions[i]));

      gtk_widget_add_css_class (tile, "card");
      gtk_widget_add_css_class (tile, "tc-figure");
      self->figure_values[i] = GTK_LABEL (gtk_label_new ("0"));
      gtk_widget_add_css_class (GTK_WIDGET (self->figure_values[i]), "title-2");
      gtk_widget_add_css_class (GTK_WIDGET (self->figure_values[i]), "numeric");
      gtk_label_set_xalign (self->figure_values[i], 0);
      gtk_label_set_xalign (GTK_LABEL (caption), 0);
      gtk_widget_add_css_class (caption, "caption-heading");
      gtk_widget_add_css_class (caption, "dim-label");
      self->figure_notes[i] = GTK_LABEL (gtk_label_new (NULL));
      gtk_label_set_xalign (self->figure_notes[i], 0);
      gtk_label_set_ellipsize (self->figure_notes[i], PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (self->figure_notes[i], 14);
      gtk_label_set_width_chars (self->figure_notes[i], 10);
      gtk_widget_add_css_class (GTK_WIDGET (self->figure_notes[i]), "caption");
      gtk_widget_add_css_class (GTK_WIDGET (self->figure_notes[i]), "dim-label");
      gtk_box_append (GTK_BOX (tile), caption);
      gtk_box_append (GTK_BOX (tile), GTK_WIDGET (self->figure_values[i]));
      gtk_box_append (GTK_BOX (tile), GTK_WIDGET (self->figure_notes[i]));
      gtk_flow_box_append (GTK_FLOW_BOX (flow), tile);
    }
  gtk_box_append (self->content, flow);

  self->timeline_chart = TC_CHART (tc_chart_new (TC_CHART_LINES, _("Delivery and reads over time")));
  gtk_box_append (self->content, card_new (_("Delivery and Reads Over Time"),
                                           GTK_WIDGET (self->timeline_chart), NULL));
  self->funnel_chart = TC_CHART (tc_chart_new (TC_CHART_FUNNEL, _("Funnel")));
  gtk_box_append (self->content, card_new (_("Funnel"), GTK_WIDGET (self->funnel_chart), NULL));

  self->variants_chart = TC_CHART (tc_chart_new (TC_CHART_GROUPED, _("Variants side by side")));
  tc_chart_set_percent (self->variants_chart, TRUE);
  self->variants_card = card_new (_("Variants Side by Side"), GTK_WIDGET (self->variants_chart), &card);
  self->lift_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->lift_label, 0);
  gtk_label_set_wrap (self->lift_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->lift_label), "dim-label");
  gtk_box_append (GTK_BOX (card), GTK_WIDGET (self->lift_label));
  gtk_box_append (self->content, self->variants_card);

  self->reasons_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->reasons_group), _("Not Sent"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->reasons_group),
                                         _("Who was skipped, failed or is waiting, and why"));
  self->reasons_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->reasons_list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->reasons_list), "boxed-list");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->reasons_group), GTK_WIDGET (self->reasons_list));
  gtk_box_append (self->content, self->reasons_group);
}

/* ------------------------------------------------------------------------
 * Showing a report
 */

static void
set_figure (TcCampaignView *self,
            guint           index,
            guint64         value,
            const char     *note)
{
  g_autofree char *text = tc_gui_format_number ((guint) MIN (value, G_MAXUINT));

  gtk_label_set_text (self->figure_values[index], text);
  gtk_label_set_text (self->figure_notes[index], note != NULL ? note : "");
}

static char *
share_note (guint64 part,
            guint64 whole)
{
  if (whole == 0)
    return NULL;
  /* Translators: a share of a figure, under it */
  return g_strdup_printf (_("%.1f %%"), 100.0 * part / whole);
}

static void
set_money (TcCampaignView *self,
           guint           index,
           double          value,
           const char     *note)
{
  g_autofree char *text = g_strdup_printf ("$%.2f", value);

  gtk_label_set_text (self->figure_values[index], text);
  gtk_label_set_text (self->figure_notes[index], note != NULL ? note : "");
}

static void
add_reason_row (TcCampaignView *self,
                const char     *title,
                const char     *subtitle,
                guint64         count,
                const char     *icon)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *number = tc_gui_format_number ((guint) MIN (count, G_MAXUINT));
  GtkWidget *label = gtk_label_new (number);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (icon));
  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_add_css_class (label, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  gtk_list_box_append (self->reasons_list, row);
}

static void
show_reasons (TcCampaignView          *self,
              const TcCampaignFigures *total)
{
  GtkWidget *child;
  GHashTableIter iter;
  gpointer key, value;
  gboolean any = FALSE;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->reasons_list))) != NULL)
    gtk_list_box_remove (self->reasons_list, child);

  if (total->skipped != NULL)
    {
      g_hash_table_iter_init (&iter, total->skipped);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          add_reason_row (self, tc_campaign_reason_describe (key), _("Skipped"),
                          GPOINTER_TO_UINT (value), "action-unavailable-symbolic");
          any = TRUE;
        }
    }
  if (total->bounced != NULL)
    {
      g_hash_table_iter_init (&iter, total->bounced);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          g_autofree char *title = NULL;

          if (*(const char *) key == '\0')
            title = g_strdup (_("Failed for a reason the provider did not give"));
          else
            /* Translators: %s is a provider's error code */
            title = g_strdup_printf (_("Failed with the provider’s error %s"), (const char *) key);
          add_reason_row (self, title, _("Failed"), GPOINTER_TO_UINT (value), "dialog-error-symbolic");
          any = TRUE;
        }
    }
  if (total->deferred > 0)
    {
      add_reason_row (self, _("Waiting for a later time (quiet hours, the schedule or a pause)"),
                      _("Deferred"), total->deferred, "alarm-symbolic");
      any = TRUE;
    }
  gtk_widget_set_visible (self->reasons_group, any);
}

static void
show_report (TcCampaignView *self)
{
  TcCampaign *campaign = self->campaign;
  const TcCampaignReport *report = self->report;
  const TcCampaignFigures *t = report->total;
  TcCampaignState state = tc_campaign_get_state (campaign);
  g_autofree char *subtitle = NULL;
  g_autofree char *status = NULL;
  g_autofree char *n1 = NULL, *n2 = NULL, *n3 = NULL, *n4 = NULL, *n5 = NULL, *n6 = NULL;
  /* n1 sent, n2 intended, n3 on their way, n4 held out, n5 people who clicked, n6 deferred */
  g_autofree char *aov = NULL;
  guint64 skipped = sum_table (t->skipped);
  guint64 handled;
  g_autoptr(GPtrArray) hours = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) sent = g_array_new (FALSE, TRUE, sizeof (double));
  g_autoptr(GArray) delivered = g_array_new (FALSE, TRUE, sizeof (double));
  g_autoptr(GArray) read = g_array_new (FALSE, TRUE, sizeof (double));
  g_autoptr(GPtrArray) stages = g_ptr_array_new ();
  g_autoptr(GArray) funnel = g_array_new (FALSE, TRUE, sizeof (double));
  gboolean whatsapp = tc_campaign_get_channel (campaign) != TC_CAMPAIGN_CHANNEL_SMS;
  guint n_real_variants = 0;

  adw_window_title_set_title (self->title, tc_campaign_get_name (campaign));
  subtitle = g_strdup_printf ("%s · %s", tc_campaign_channel_name (tc_campaign_get_channel (campaign)),
                              tc_gui_purpose_name (tc_campaign_get_purpose (campaign)));
  adw_window_title_set_subtitle (self->title, subtitle);

  /* The pill. */
  gtk_label_set_text (self->state_label, tc_campaign_state_name (state));
  for (TcCampaignState s = TC_CAMPAIGN_DRAFT; s <= TC_CAMPAIGN_CANCELLED; s++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), tc_campaign_state_css_class (s));
  gtk_widget_add_css_class (GTK_WIDGET (self->state_label), tc_campaign_state_css_class (state));

  /* Progress: the intended recipients whose message is settled. */
  handled = t->sent + skipped + t->failed;
  handled = MIN (handled, MAX (t->intended, 1));
  gtk_progress_bar_set_fraction (self->progress, t->intended > 0 ? (double) handled / t->intended : 0);
  n1 = tc_gui_format_number ((guint) t->sent);
  n2 = tc_gui_format_number ((guint) t->intended);
  n3 = tc_gui_format_number ((guint) t->waiting);
  switch (state)
    {
    case TC_CAMPAIGN_DRAFT:
      status = g_strdup (_("Not sent yet: open it from the list to edit and send it."));
      break;
    case TC_CAMPAIGN_SCHEDULED:
    case TC_CAMPAIGN_SENDING:
      {
        GString *text = g_string_new (NULL);

        /* Translators: sent, intended */
        g_string_append_printf (text, _("%s of %s sent"), n1, n2);
        if (t->waiting > 0)
          /* Translators: how many messages are queued or being sent */
          g_string_append_printf (text, _(" · %s on their way"), n3);
        if (t->deferred > 0)
          {
            n6 = tc_gui_format_number ((guint) t->deferred);
            /* Translators: how many messages wait for quiet hours, the schedule or a pause to end */
            g_string_append_printf (text, _(" · %s waiting for a later time"), n6);
          }
        status = g_string_free (text, FALSE);
      }
      break;
    case TC_CAMPAIGN_PAUSED:
      status = g_strdup_printf (_("Paused after %s of %s · Resume to send the rest"), n1, n2);
      break;
    case TC_CAMPAIGN_SENT:
      {
        g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (tc_campaign_get_finished_at (campaign));
        g_autofree char *when = tc_gui_format_datetime (at);

        status = g_strdup_printf (_("%s of %s sent · finished %s"), n1, n2, when);
      }
      break;
    case TC_CAMPAIGN_CANCELLED:
      status = g_strdup_printf (_("Cancelled after %s of %s"), n1, n2);
      break;
    default:
      g_assert_not_reached ();
    }
  gtk_label_set_text (self->status_label, status);

  /* Buttons. */
  gtk_widget_set_visible (GTK_WIDGET (self->pause_button),
                          state == TC_CAMPAIGN_SENDING || state == TC_CAMPAIGN_SCHEDULED ||
                          state == TC_CAMPAIGN_PAUSED);
  gtk_button_set_label (self->pause_button, state == TC_CAMPAIGN_PAUSED ? _("_Resume") : _("_Pause"));
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button),
                          state == TC_CAMPAIGN_SENDING || state == TC_CAMPAIGN_SCHEDULED ||
                          state == TC_CAMPAIGN_PAUSED);
  gtk_widget_set_sensitive (GTK_WIDGET (self->pause_button), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), !self->busy);

  /* Figures. */
  {
    g_autofree char *audience_note = NULL;
    g_autofree char *sent_note = share_note (t->sent, t->intended);
    g_autofree char *delivered_note = share_note (t->delivered, t->sent);
    g_autofree char *read_note = NULL;
    g_autofree char *replies_note = NULL;
    g_autofree char *failed_note = share_note (t->failed, t->sent);
    g_autofree char *skipped_note = share_note (skipped, t->intended);
    g_autofree char *clicks_note = NULL;
    g_autofree char *conv_note = share_note (t->conversions, t->delivered);
    g_autofree char *cost_note = NULL;

    if (t->audience > t->intended)
      {
        n4 = tc_gui_format_number ((guint) (t->audience - t->intended));
        /* Translators: how many are held out of the audience */
        audience_note = g_strdup_printf (_("%s held out"), n4);
      }
    if (report->clicks_tracked)
      {
        n5 = tc_gui_format_number ((guint) t->unique_clicks);
        clicks_note = g_strdup_printf (_("%s people"), n5);
      }
    else
      clicks_note = g_strdup (_("Links not tracked"));
    if (t->conversions > 0)
      aov = g_strdup_printf (_("$%.2f per order"), t->revenue / t->conversions);
    if (t->sent > 0)
      cost_note = g_strdup_printf (_("$%.4f per message"), t->cost / t->sent);

    set_figure (self, FIG_AUDIENCE, t->audience, audience_note);
    set_figure (self, FIG_SENT, t->sent, sent_note);
    if (whatsapp)
      {
        g_autofree char *n = tc_gui_format_number ((guint) t->read);

        /* Translators: under the delivered figure, for WhatsApp */
        read_note = g_strdup_printf (_("%s read"), n);
      }
    else
      read_note = g_steal_pointer (&delivered_note);
    if (t->opt_outs > 0)
      {
        g_autofree char *n = tc_gui_format_number ((guint) t->opt_outs);

        replies_note = g_strdup_printf (_("%s opted out"), n);
      }
    else
      replies_note = g_strdup (_("Nobody opted out"));
    set_figure (self, FIG_DELIVERED, t->delivered, read_note);
    g_debug ("Report of campaign %" G_GINT64_FORMAT " shows %" G_GUINT64_FORMAT " delivered",
             self->id, (guint64) t->delivered);
    set_figure (self, FIG_REPLIES, t->replies, replies_note);
    set_figure (self, FIG_FAILED, t->failed, failed_note);
    set_figure (self, FIG_SKIPPED, skipped, skipped_note);
    set_figure (self, FIG_CLICKS, t->clicks, clicks_note);
    set_figure (self, FIG_CONVERSIONS, t->conversions, conv_note);
    set_money (self, FIG_REVENUE, t->revenue, aov);
    set_money (self, FIG_COST, t->cost, cost_note);
  }

  /* Hour by hour. */
  for (guint i = 0; i < report->timeline->len; i++)
    {
      const TcCampaignHour *hour = &g_array_index (report->timeline, TcCampaignHour, i);
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (hour->at);
      double v;

      g_ptr_array_add (hours, g_date_time_format (at, report->timeline->len > 24 ? "%d %b %H:%M" : "%H:%M"));
      v = hour->sent;
      g_array_append_val (sent, v);
      v = hour->delivered;
      g_array_append_val (delivered, v);
      v = hour->read;
      g_array_append_val (read, v);
    }
  g_ptr_array_add (hours, NULL);
  tc_chart_set_categories (self->timeline_chart, (const char * const *) hours->pdata);
  tc_chart_add_series (self->timeline_chart, _("Sent"), (double *) sent->data, sent->len);
  tc_chart_add_series (self->timeline_chart, _("Delivered"), (double *) delivered->data, delivered->len);
  if (whatsapp)
    tc_chart_add_series (self->timeline_chart, _("Read"), (double *) read->data, read->len);

  /* The funnel. */
#define STAGE(label, value) G_STMT_START { double v_ = (value); g_ptr_array_add (stages, (gpointer) (label)); g_array_append_val (funnel, v_); } G_STMT_END
  STAGE (_("Intended"), t->intended);
  STAGE (_("Sent"), t->sent);
  STAGE (_("Delivered"), t->delivered);
  if (whatsapp)
    STAGE (_("Read"), t->read);
  if (report->clicks_tracked)
    STAGE (_("Clicked"), t->unique_clicks);
  STAGE (_("Converted"), t->conversions);
#undef STAGE
  g_ptr_array_add (stages, NULL);
  tc_chart_set_categories (self->funnel_chart, (const char * const *) stages->pdata);
  tc_chart_add_series (self->funnel_chart, _("Recipients"), (double *) funnel->data, funnel->len);

  /* The variants, as rates so that groups of any size compare. */
  {
    const char *metrics[] = { _("Delivered"), _("Converted"), _("Opted out"), _("Clicked"), NULL };

    /* Clicks only where links are tracked. */
    if (!report->clicks_tracked)
      metrics[3] = NULL;
    tc_chart_set_categories (self->variants_chart, metrics);
    for (guint i = 0; i < report->variants->len; i++)
      {
        const TcCampaignFigures *f = g_ptr_array_index (report->variants, i);
        double base = f->intended > 0 ? (double) f->intended : 1;
        double values[4] = {
          f->delivered / (f->sent > 0 ? (double) f->sent : 1),
          f->converted / base,
          f->opt_outs / base,
          f->unique_clicks / base,
        };
        g_autofree char *name = NULL;

        if (g_str_equal (f->key, "holdout"))
          name = g_strdup (_("Holdout"));
        else
          {
            /* Translators: %s is a variant's letter, "A" */
            name = g_strdup_printf (_("Variant %s"), f->key);
            n_real_variants++;
          }
        tc_chart_add_series (self->variants_chart, name, values, report->clicks_tracked ? 4 : 3);
      }
  }
  gtk_widget_set_visible (self->variants_card, report->variants->len > 1 || n_real_variants > 1);
  {
    GString *note = g_string_new (NULL);
    const char *winner = tc_campaign_get_winner (campaign);

    if (winner != NULL && *winner != '\0')
      /* Translators: %s is a variant's letter */
      g_string_append_printf (note, _("Variant %s won the test and went to everyone else. "), winner);
    else if (tc_campaign_get_test_percent (campaign) > 0)
      g_string_append_printf (note, _("Testing on %.0f %% of the audience; the best variant then goes to "
                                      "everyone else. "), tc_campaign_get_test_percent (campaign));
    if (report->has_lift)
      g_string_append_printf (note, _("Lift over the holdout: %+.1f %% more people converted after getting "
                                      "the message than those who did not."), report->lift * 100);
    else
      g_string_append (note, _("Rates are shares of each group’s recipients (delivered: of those sent). "
                               "With a holdout, the lift shows here once someone in it converts."));
    gtk_label_set_text (self->lift_label, note->str);
    g_string_free (note, TRUE);
  }

  show_reasons (self, t);
  gtk_stack_set_visible_child_name (self->stack, "report");
}

static gboolean
is_live (TcCampaign *campaign)
{
  TcCampaignState state = campaign != NULL ? tc_campaign_get_state (campaign) : TC_CAMPAIGN_SENDING;

  return state == TC_CAMPAIGN_SENDING || state == TC_CAMPAIGN_SCHEDULED || state == TC_CAMPAIGN_PAUSED;
}

static gboolean
refresh_timeout_cb (gpointer user_data)
{
  TcCampaignView *self = user_data;

  self->refresh_id = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_refresh (TcCampaignView *self)
{
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) && is_live (self->campaign))
    self->refresh_id = g_timeout_add_seconds (REFRESH_SECONDS, refresh_timeout_cb, self);
}

static void
show_error (TcCampaignView *self,
            const GError   *error)
{
  g_autofree char *text = tc_gui_describe_error (error);

  adw_status_page_set_description (self->error_page, text);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static void
on_report_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TcCampaignView) self = user_data;
  g_autoptr(GError) error = NULL;
  TcCampaignReport *report;

  report = tc_campaign_report_finish (TC_REPOSITORY (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (report == NULL)
    {
      show_error (self, error);
      return;
    }
  g_clear_pointer (&self->report, tc_campaign_report_free);
  self->report = report;
  gtk_spinner_stop (self->spinner);
  show_report (self);
  schedule_refresh (self);
}

static void
on_queued_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TcCampaignView) self = user_data;
  g_autoptr(GError) error = NULL;
  guint n_queued = 0, n_left = 0;

  if (!tc_campaign_queue_finish (TC_REPOSITORY (object), result, &n_queued, &n_left, &error))
    {
      self->queuing = FALSE;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not queue campaign %" G_GINT64_FORMAT ": %s", self->id, error->message);
      return;
    }
  g_debug ("Campaign %" G_GINT64_FORMAT ": queued %u more, %u left", self->id, n_queued, n_left);
  if (n_left > 0 && n_queued > 0)
    {
      tc_campaign_queue_async (self->repository, self->id, QUEUE_BATCH, 0, self->cancellable, on_queued_cb,
                               g_object_ref (self));
      return;
    }
  self->queuing = FALSE;
}

/* A campaign whose queuing was interrupted (the app closed while the
 * creator queued it) is queued to the end while it is shown. */
static void
finish_queuing (TcCampaignView *self)
{
  TcCampaignState state = tc_campaign_get_state (self->campaign);

  if (self->queuing || (state != TC_CAMPAIGN_SENDING && state != TC_CAMPAIGN_SCHEDULED) ||
      tc_campaign_get_n_queued (self->campaign) >= tc_campaign_get_n_intended (self->campaign))
    return;
  self->queuing = TRUE;
  tc_campaign_queue_async (self->repository, self->id, QUEUE_BATCH, 0, self->cancellable, on_queued_cb,
                           g_object_ref (self));
}

static void
on_campaign_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TcCampaignView) self = user_data;
  g_autoptr(GError) error = NULL;
  TcCampaign *campaign;

  campaign = tc_campaign_store_get_finish (TC_REPOSITORY (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (campaign == NULL)
    {
      show_error (self, error);
      return;
    }
  g_set_object (&self->campaign, campaign);
  g_object_unref (campaign);
  finish_queuing (self);
  tc_campaign_report_async (self->repository, self->id, TC_CAMPAIGN_GROUP_VARIANT, NULL,
                            self->cancellable, on_report_cb, g_object_ref (self));
}

static void
on_checked_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(TcCampaignView) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean finished = FALSE;

  if (!tc_campaign_check_finished_finish (TC_REPOSITORY (object), result, &finished, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Could not check whether campaign %" G_GINT64_FORMAT " is finished: %s",
                 self->id, error->message);
    }
  tc_campaign_store_get_async (self->repository, self->id, self->cancellable, on_campaign_cb,
                               g_object_ref (self));
}

static void
refresh (TcCampaignView *self)
{
  if (self->repository == NULL || self->id == 0)
    return;
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  /* A sending campaign becomes "sent" once its last row is settled. */
  if (self->campaign != NULL && tc_campaign_get_state (self->campaign) == TC_CAMPAIGN_SENDING)
    tc_campaign_check_finished_async (self->repository, self->id, self->cancellable, on_checked_cb,
                                      g_object_ref (self));
  else
    tc_campaign_store_get_async (self->repository, self->id, self->cancellable, on_campaign_cb,
                                 g_object_ref (self));
}

void
tc_campaign_view_show (TcCampaignView *self,
                       TcRepository   *repository,
                       gint64          id)
{
  g_return_if_fail (TC_IS_CAMPAIGN_VIEW (self));
  g_return_if_fail (TC_IS_REPOSITORY (repository));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_set_object (&self->repository, repository);
  g_clear_object (&self->campaign);
  g_clear_pointer (&self->report, tc_campaign_report_free);
  self->id = id;
  self->busy = FALSE;
  self->queuing = FALSE;
  adw_window_title_set_title (self->title, "");
  adw_window_title_set_subtitle (self->title, "");
  gtk_widget_set_visible (GTK_WIDGET (self->pause_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), FALSE);
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  refresh (self);
}

gint64
tc_campaign_view_get_id (TcCampaignView *self)
{
  g_return_val_if_fail (TC_IS_CAMPAIGN_VIEW (self), 0);

  return self->id;
}

/* ------------------------------------------------------------------------
 * Pause, resume, cancel
 */

static GtkWindow *
get_window (TcCampaignView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
show_message (TcCampaignView *self,
              const char     *heading,
              const char     *body)
{
  GtkWidget *dialog = adw_message_dialog_new (get_window (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_acted_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TcCampaignView) self = user_data;
  g_autoptr(GError) error = NULL;

  self->busy = FALSE;
  if (!tc_campaign_act_finish (TC_REPOSITORY (object), result, &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = tc_gui_describe_error (error);
      show_message (self, _("Could Not Change the Campaign"), text);
    }
  refresh (self);
}

static void
act (TcCampaignView   *self,
     TcCampaignAction  action)
{
  if (self->campaign == NULL || self->busy)
    return;
  self->busy = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->pause_button), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), FALSE);
  g_debug ("Campaign %" G_GINT64_FORMAT ": action %d", self->id, action);
  tc_campaign_act_async (self->repository, self->id, action, self->cancellable, on_acted_cb,
                         g_object_ref (self));
}

static void
on_pause_clicked_cb (TcCampaignView *self)
{
  if (self->campaign != NULL)
    act (self, tc_campaign_get_state (self->campaign) == TC_CAMPAIGN_PAUSED
               ? TC_CAMPAIGN_RESUME : TC_CAMPAIGN_PAUSE);
}

static void
on_cancel_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       TcCampaignView   *self)
{
  if (g_strcmp0 (response, "cancel-campaign") == 0)
    act (self, TC_CAMPAIGN_CANCEL);
}

static void
on_cancel_clicked_cb (TcCampaignView *self)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (get_window (self), _("Cancel the Campaign?"),
                                   _("Nobody else will get its message. Messages already sent stay "
                                     "sent; those still waiting are dropped. This cannot be undone."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep Sending"),
                                    "cancel-campaign", _("_Cancel Campaign"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "cancel-campaign",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_cancel_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------------
 * Export
 */

static void
on_csv_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TcCampaignView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      g_autofree char *text = tc_gui_describe_error (error);

      show_message (self, _("Could Not Export the Report"), text);
      return;
    }
  g_debug ("Exported the report of campaign %" G_GINT64_FORMAT " as CSV", self->id);
}

static void
on_export_response_cb (GtkNativeDialog *native,
                       int              response,
                       gpointer         user_data)
{
  g_autoptr(TcCampaignView) self = user_data;
  g_autoptr(GFile) file = NULL;
  g_autofree char *csv = NULL;

  if (response == GTK_RESPONSE_ACCEPT && self->report != NULL)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      csv = tc_campaign_report_to_csv (self->report);
      g_file_replace_contents_async (file, csv, strlen (csv), NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                     self->cancellable, on_csv_written_cb, g_object_ref (self));
      /* The contents must live until the write ends. */
      g_object_set_data_full (G_OBJECT (file), "tc-csv", g_steal_pointer (&csv), g_free);
    }
  gtk_native_dialog_destroy (native);
  g_object_unref (native);
}

static void
on_export_clicked_cb (TcCampaignView *self)
{
  GtkFileChooserNative *native;
  g_autofree char *name = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  g_debug ("Export asked for campaign %" G_GINT64_FORMAT, self->id);

  if (self->report == NULL || self->campaign == NULL)
    return;
  native = gtk_file_chooser_native_new (_("Export the Campaign Report"), get_window (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  /* Translators: the file name an exported report gets; %s is the campaign's name */
  name = g_strdup_printf (_("%s report.csv"), tc_campaign_get_name (self->campaign));
  g_strdelimit (name, "/\\", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  g_signal_connect (native, "response", G_CALLBACK (on_export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  on_export_clicked_cb (TC_CAMPAIGN_VIEW (widget));
}

/* ------------------------------------------------------------------------ */

static void
tc_campaign_view_map (GtkWidget *widget)
{
  TcCampaignView *self = TC_CAMPAIGN_VIEW (widget);

  GTK_WIDGET_CLASS (tc_campaign_view_parent_class)->map (widget);
  /* Back on screen: read again at once. */
  if (self->campaign != NULL && is_live (self->campaign))
    refresh (self);
}

static void
tc_campaign_view_unmap (GtkWidget *widget)
{
  TcCampaignView *self = TC_CAMPAIGN_VIEW (widget);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  GTK_WIDGET_CLASS (tc_campaign_view_parent_class)->unmap (widget);
}

static void
tc_campaign_view_dispose (GObject *object)
{
  TcCampaignView *self = TC_CAMPAIGN_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TC_TYPE_CAMPAIGN_VIEW);

  G_OBJECT_CLASS (tc_campaign_view_parent_class)->dispose (object);
}

static void
tc_campaign_view_finalize (GObject *object)
{
  TcCampaignView *self = TC_CAMPAIGN_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->repository);
  g_clear_object (&self->campaign);
  g_clear_pointer (&self->report, tc_campaign_report_free);

  G_OBJECT_CLASS (tc_campaign_view_parent_class)->finalize (object);
}

static void
tc_campaign_view_class_init (TcCampaignViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tc_campaign_view_dispose;
  object_class->finalize = tc_campaign_view_finalize;
  widget_class->map = tc_campaign_view_map;
  widget_class->unmap = tc_campaign_view_unmap;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/textcast/Textcast/tc-campaign-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TcCampaignView, box);
  gtk_widget_class_bind_template_child (widget_class, TcCampaignView, title);
  gtk_widget_class_bind_template_child (widget_class, TcCampaignView, stack);
  gtk_widget_class_bind_template_child (widget_class, TcCampaignView, spinner);
  gtk_widget_class_bind_template_child (widget_class, TcCampaignView, error_page);
  gtk_widget_class_bind_template_child (widget_class, TcCampaignView, content);
  gtk_widget_class_bind_template_child (widget_class, TcCampaignView, export_button);
  gtk_widget_class_bind_template_child (widget_class, TcCampaignView, pause_button);
  gtk_widget_class_bind_template_child (widget_class, TcCampaignView, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, on_pause_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "campaign.export", NULL, export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "campaign.export", NULL);
}

static void
tc_campaign_view_init (TcCampaignView *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  build_report_widgets (self);
}
