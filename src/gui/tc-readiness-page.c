/* tc-readiness-page.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Readiness section: the questions as an assistant of four pages, the
 * findings with a Fix… button each, and the score. Built in code: its
 * rows come from the tables below and from the report.
 */

#define G_LOG_DOMAIN "tc-readiness-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tc-readiness-net.h"
#include "tc-readiness-page.h"
#include "tc-readiness.h"
#include "tc-repository.h"

/* After a setting changes, wait this long before looking again: a row of
 * Preferences saves as the user types. */
#define REFRESH_DELAY_MS 400

typedef struct
{
  TcReadinessAnswer  answer;
  const char        *choice;
  const char        *title;
  const char        *subtitle;
} Choice;

static const Choice use_case_rows[] = {
  { TC_READINESS_ANSWER_USE_CASES, "order_updates", N_("Order and shipping updates"), NULL },
  { TC_READINESS_ANSWER_USE_CASES, "appointments", N_("Appointment reminders"), NULL },
  { TC_READINESS_ANSWER_USE_CASES, "passcodes", N_("One-time passcodes"), NULL },
  { TC_READINESS_ANSWER_USE_CASES, "restock", N_("Back-in-stock notices people asked for"), NULL },
  { TC_READINESS_ANSWER_USE_CASES, "deals", N_("Deals, coupons and flash sales"), NULL },
  { TC_READINESS_ANSWER_USE_CASES, "launches", N_("Product launches"), NULL },
  { TC_READINESS_ANSWER_USE_CASES, "events", N_("Event invitations"), NULL },
  { TC_READINESS_ANSWER_USE_CASES, "cart_abandonment", N_("Abandoned-cart reminders"), NULL },
  { TC_READINESS_ANSWER_USE_CASES, "birthdays", N_("Birthday and milestone offers"), NULL },
};

static const Choice purpose_rows[] = {
  { TC_READINESS_ANSWER_PURPOSES, "transactional", N_("Transactional only"),
    N_("Service messages people expect: orders, reminders, codes") },
  { TC_READINESS_ANSWER_PURPOSES, "promotional", N_("Promotional only"),
    N_("Marketing: offers, launches, reminders to buy") },
  { TC_READINESS_ANSWER_PURPOSES, "both", N_("Both"), NULL },
};

static const Choice channel_rows[] = {
  { TC_READINESS_ANSWER_CHANNELS, "sms", N_("SMS"), N_("Reaches every phone") },
  { TC_READINESS_ANSWER_CHANNELS, "whatsapp", N_("WhatsApp"),
    N_("Rich messages; writing first needs approved templates") },
};

static const Choice source_rows[] = {
  { TC_READINESS_ANSWER_OPTIN_SOURCES, "web_form", N_("A sign-up form on your website"), NULL },
  { TC_READINESS_ANSWER_OPTIN_SOURCES, "checkout", N_("A box ticked at checkout"), NULL },
  { TC_READINESS_ANSWER_OPTIN_SOURCES, "keyword", N_("People text a keyword"), NULL },
  { TC_READINESS_ANSWER_OPTIN_SOURCES, "qr_code", N_("A QR code in a shop or on a flyer"), NULL },
  { TC_READINESS_ANSWER_OPTIN_SOURCES, "import", N_("A list you import"), NULL },
  { TC_READINESS_ANSWER_OPTIN_SOURCES, "api", N_("Another system sends them"), NULL },
  { TC_READINESS_ANSWER_OPTIN_SOURCES, "manual", N_("Added by hand, in person or on the phone"), NULL },
};

static const Choice goal_rows[] = {
  { TC_READINESS_ANSWER_GOALS, "deliveries", N_("Messages delivered"), NULL },
  { TC_READINESS_ANSWER_GOALS, "clicks", N_("Clicks on links"), NULL },
  { TC_READINESS_ANSWER_GOALS, "replies", N_("Replies"), NULL },
  { TC_READINESS_ANSWER_GOALS, "revenue", N_("Orders and revenue"), NULL },
  { TC_READINESS_ANSWER_GOALS, "opt_outs", N_("Few opt-outs"), NULL },
};

#define N_QUESTION_PAGES 4

struct _TcReadinessPage
{
  GtkWidget            parent_instance;

  TcRepository        *repository;
  GCancellable        *cancellable;
  TcReadinessReport   *report;

  GtkWidget           *box;
  GtkStack            *stack;
  AdwCarousel         *carousel;
  GtkWidget           *pages[N_QUESTION_PAGES];
  GtkWidget           *back_button;
  GtkWidget           *next_button;
  GtkLabel            *questions_error;
  /* "answer/choice" → GtkCheckButton */
  GHashTable          *checks;
  AdwEntryRow         *budget_row;
  AdwEntryRow         *volume_row;

  GtkLabel            *score_label;
  GtkLevelBar         *score_bar;
  GtkLabel            *summary_label;
  GtkLabel            *webhooks_message;
  GtkWidget           *webhooks_button;
  GtkWidget           *answers_button;
  GtkWidget           *results_box;
  GtkWidget           *findings_group;
  GtkWidget           *passed_group;
  GtkSpinner          *spinner;
  /* id → the Fix… button of each finding shown (for the GUI tests' log) */
  GHashTable          *fix_buttons;

  GtkWindow           *window;
  gulong               active_id;
  guint                refresh_source;
  guint                tick_id;
  guint                tick_frames;
  gboolean             folded;
  gboolean             loading;
  gboolean             dirty;
  gboolean             shown_once;
};

G_DEFINE_FINAL_TYPE (TcReadinessPage, tc_readiness_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_FOLDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FIX_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void refresh (TcReadinessPage *self);
static void log_positions_soon (TcReadinessPage *self);

/* ------------------------------------------------------------------------
 * Helpers
 */

static char *
check_key (TcReadinessAnswer  answer,
           const char        *choice)
{
  return g_strdup_printf ("%s/%s", tc_readiness_answer_to_string (answer), choice);
}

/* A row with a check button (a radio one when @group is given). */
static GtkWidget *
choice_row (TcReadinessPage *self,
            const Choice    *choice,
            GtkCheckButton  *group)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(choice->title));
  if (choice->subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(choice->subtitle));
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  if (group != NULL)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group);
  /* GTK 4.8 names a check button only from its own label. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _(choice->title), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  g_hash_table_insert (self->checks, check_key (choice->answer, choice->choice), check);

  return row;
}

static GtkWidget *
choice_group (TcReadinessPage *self,
              const char      *title,
              const char      *description,
              const Choice    *choices,
              guint            n_choices,
              gboolean         radio)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkCheckButton *first = NULL;

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  for (guint i = 0; i < n_choices; i++)
    {
      GtkWidget *row = choice_row (self, &choices[i], radio ? first : NULL);

      if (radio && first == NULL)
        first = GTK_CHECK_BUTTON (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row)));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }

  return group;
}

/* A question page: a status-page-like heading and groups, scrolling. */
static void
on_scrolled_cb (TcReadinessPage *self)
{
  log_positions_soon (self);
}

static GtkWidget *
question_page (TcReadinessPage *self,
               const char      *title,
               const char *description,
               GtkWidget  *first,
               ...)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  GtkWidget *heading = gtk_label_new (title);
  GtkWidget *text = gtk_label_new (description);
  va_list args;

  gtk_widget_add_css_class (heading, "title-2");
  gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_justify (GTK_LABEL (text), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (text, "dim-label");
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), text);

  va_start (args, first);
  for (GtkWidget *group = first; group != NULL; group = va_arg (args, GtkWidget *))
    gtk_box_append (GTK_BOX (box), group);
  va_end (args);

  gtk_widget_set_margin_top (box, 24);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 640);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)),
                           "value-changed", G_CALLBACK (on_scrolled_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_set_hexpand (scroller, TRUE);
  gtk_widget_set_vexpand (scroller, TRUE);

  return scroller;
}

/* Where @widget's centre is on screen (the window's surface), for the GUI
 * tests, which click it. */
static void
log_position (TcReadinessPage *self,
              const char      *what,
              GtkWidget       *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  graphene_point_t center;
  double x = 0, y = 0;

  if (native == NULL || !gtk_widget_get_mapped (widget))
    return;

  /* Scrolled out of sight: a click there would land elsewhere. */
  for (GtkWidget *ancestor = widget; ancestor != NULL; ancestor = gtk_widget_get_parent (ancestor))
    if (GTK_IS_SCROLLED_WINDOW (ancestor))
      {
        if (!gtk_widget_compute_point (widget, ancestor,
                                       &GRAPHENE_POINT_INIT (0, gtk_widget_get_height (widget) / 2.f),
                                       &center) ||
            center.y < 0 || center.y > gtk_widget_get_height (ancestor))
          {
            g_debug ("Readiness %s hidden", what);
            return;
          }
        break;
      }
  gtk_native_get_surface_transform (native, &x, &y);
  if (gtk_widget_compute_point (widget, GTK_WIDGET (native),
                                &GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.f,
                                                      gtk_widget_get_height (widget) / 2.f),
                                &center))
    g_debug ("Readiness %s at %d,%d", what, (int) (center.x + x), (int) (center.y + y));
}

static gboolean
log_positions_cb (GtkWidget     *widget,
                  GdkFrameClock *clock,
                  gpointer       user_data)
{
  TcReadinessPage *self = TC_READINESS_PAGE (widget);
  GHashTableIter iter;
  gpointer key, value;

  /* Only once everything stands still: a stack sliding the page in, or
   * the carousel moving, would give positions that are about to change. */
  for (GtkWidget *ancestor = widget; ancestor != NULL; ancestor = gtk_widget_get_parent (ancestor))
    if (GTK_IS_STACK (ancestor) && gtk_stack_get_transition_running (GTK_STACK (ancestor)))
      {
        self->tick_frames = 0;
        return G_SOURCE_CONTINUE;
      }
  if (gtk_stack_get_transition_running (self->stack) ||
      adw_carousel_get_position (self->carousel) != (double) (guint) adw_carousel_get_position (self->carousel))
    {
      self->tick_frames = 0;
      return G_SOURCE_CONTINUE;
    }
  /* And a frame later, laid out. */
  if (++self->tick_frames < 3)
    return G_SOURCE_CONTINUE;
  self->tick_id = 0;

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "questions") == 0)
    {
      GtkWidget *page = self->pages[(guint) adw_carousel_get_position (self->carousel)];

      g_hash_table_iter_init (&iter, self->checks);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (gtk_widget_is_ancestor (value, page))
          {
            g_autofree char *what = g_strdup_printf ("choice %s", (const char *) key);

            log_position (self, what, gtk_widget_get_parent (gtk_widget_get_parent (value)));
          }
      if (page == self->pages[1])
        {
          log_position (self, "entry budget", GTK_WIDGET (self->budget_row));
          log_position (self, "entry volume", GTK_WIDGET (self->volume_row));
        }
      log_position (self, "button next", self->next_button);
      log_position (self, "button back", self->back_button);
    }
  else
    {
      g_hash_table_iter_init (&iter, self->fix_buttons);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          g_autofree char *what = g_strdup_printf ("fix %s", (const char *) key);

          log_position (self, what, value);
        }
      log_position (self, "button answers", self->answers_button);
    }

  return G_SOURCE_REMOVE;
}

static void
log_positions_soon (TcReadinessPage *self)
{
  self->tick_frames = 0;
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), log_positions_cb, NULL, NULL);
}

/* ------------------------------------------------------------------------
 * Questions
 */

static void
fill_questions (TcReadinessPage          *self,
                const TcReadinessAnswers *answers)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->checks);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_auto(GStrv) parts = g_strsplit (key, "/", 2);
      TcReadinessAnswer answer;

      if (!tc_readiness_answer_from_string (parts[0], &answer))
        continue;
      gtk_check_button_set_active (GTK_CHECK_BUTTON (value),
                                   tc_readiness_answers_has (answers, answer, parts[1]));
    }

  gtk_editable_set_text (GTK_EDITABLE (self->budget_row),
                         answers->values[TC_READINESS_ANSWER_BUDGET] != NULL
                         ? answers->values[TC_READINESS_ANSWER_BUDGET] : "");
  gtk_editable_set_text (GTK_EDITABLE (self->volume_row),
                         answers->values[TC_READINESS_ANSWER_VOLUME] != NULL
                         ? answers->values[TC_READINESS_ANSWER_VOLUME] : "");
}

/* The answers as the questions show them ("" for an unanswered one, so
 * that saving clears it). */
static TcReadinessAnswers *
collect_answers (TcReadinessPage *self)
{
  TcReadinessAnswers *answers = tc_readiness_answers_new ();

  for (guint a = 0; a < TC_READINESS_N_ANSWERS; a++)
    {
      const char * const *choices = tc_readiness_answer_choices (a);
      g_autoptr(GString) list = g_string_new (NULL);

      for (guint c = 0; choices != NULL && choices[c] != NULL; c++)
        {
          g_autofree char *key = check_key (a, choices[c]);
          GtkCheckButton *check = g_hash_table_lookup (self->checks, key);

          if (check == NULL || !gtk_check_button_get_active (check))
            continue;
          if (list->len > 0)
            g_string_append_c (list, ',');
          g_string_append (list, choices[c]);
        }
      answers->values[a] = g_strdup (list->str);
    }

  g_free (answers->values[TC_READINESS_ANSWER_BUDGET]);
  answers->values[TC_READINESS_ANSWER_BUDGET] =
    g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->budget_row)));
  g_free (answers->values[TC_READINESS_ANSWER_VOLUME]);
  answers->values[TC_READINESS_ANSWER_VOLUME] =
    g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->volume_row)));

  return answers;
}

static void
update_navigation (TcReadinessPage *self)
{
  guint position = (guint) (adw_carousel_get_position (self->carousel) + 0.5);

  gtk_widget_set_sensitive (self->back_button, position > 0);
  gtk_button_set_label (GTK_BUTTON (self->next_button),
                        position + 1 < N_QUESTION_PAGES ? _("_Next") : _("_See What Is Missing"));
  log_positions_soon (self);
}

static void
on_carousel_page_changed_cb (TcReadinessPage *self,
                             guint            index,
                             AdwCarousel     *carousel)
{
  g_debug ("Readiness question page %u", index + 1);
  update_navigation (self);
}

static void
on_answers_saved_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(TcReadinessPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tc_readiness_save_answers_finish (TC_REPOSITORY (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gtk_widget_set_sensitive (self->next_button, TRUE);
      gtk_label_set_label (self->questions_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->questions_error), TRUE);
      return;
    }

  g_debug ("Readiness answers saved");
  gtk_widget_set_sensitive (self->next_button, TRUE);
  tc_readiness_page_show_questions (self, FALSE);
}

static gboolean
check_entry (TcReadinessPage   *self,
             AdwEntryRow       *row,
             TcReadinessAnswer  answer)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  value = tc_readiness_answer_normalize (answer, gtk_editable_get_text (GTK_EDITABLE (row)), &error);
  if (value != NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      return TRUE;
    }

  gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  gtk_label_set_label (self->questions_error, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->questions_error), TRUE);
  adw_carousel_scroll_to (self->carousel, self->pages[1], TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (row));

  return FALSE;
}

static void
on_next_clicked_cb (TcReadinessPage *self)
{
  guint position = (guint) (adw_carousel_get_position (self->carousel) + 0.5);
  g_autoptr(TcReadinessAnswers) answers = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->questions_error), FALSE);
  if (position == 1 &&
      (!check_entry (self, self->budget_row, TC_READINESS_ANSWER_BUDGET) ||
       !check_entry (self, self->volume_row, TC_READINESS_ANSWER_VOLUME)))
    return;

  if (position + 1 < N_QUESTION_PAGES)
    {
      adw_carousel_scroll_to (self->carousel, self->pages[position + 1], TRUE);
      return;
    }

  if (self->repository == NULL ||
      !check_entry (self, self->budget_row, TC_READINESS_ANSWER_BUDGET) ||
      !check_entry (self, self->volume_row, TC_READINESS_ANSWER_VOLUME))
    return;

  answers = collect_answers (self);
  gtk_widget_set_sensitive (self->next_button, FALSE);
  tc_readiness_save_answers_async (self->repository, answers, self->cancellable,
                                   on_answers_saved_cb, g_object_ref (self));
}

static void
on_back_clicked_cb (TcReadinessPage *self)
{
  guint position = (guint) (adw_carousel_get_position (self->carousel) + 0.5);

  if (position > 0)
    adw_carousel_scroll_to (self->carousel, self->pages[position - 1], TRUE);
}

static GtkWidget *
build_questions (TcReadinessPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *buttons = gtk_center_box_new ();
  GtkWidget *dots = adw_carousel_indicator_dots_new ();
  GtkWidget *money = adw_preferences_group_new ();

  self->carousel = ADW_CAROUSEL (adw_carousel_new ());
  adw_carousel_set_allow_scroll_wheel (self->carousel, FALSE);
  adw_carousel_set_interactive (self->carousel, FALSE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->carousel), TRUE);

  self->pages[0] =
    question_page (self, _("What Will You Send?"),
                   _("Service messages and marketing follow different rules. Tick everything "
                     "you plan to send."),
                   choice_group (self, _("Use Cases"), NULL, use_case_rows,
                                 G_N_ELEMENTS (use_case_rows), FALSE),
                   choice_group (self, _("Kinds of Message"),
                                 _("Deals, launches and reminders to buy are promotional, even when "
                                   "they feel like service."),
                                 purpose_rows, G_N_ELEMENTS (purpose_rows), TRUE),
                   NULL);

  self->budget_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->budget_row),
                                 _("Monthly _budget (USD)"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->budget_row), TRUE);
  gtk_editable_set_alignment (GTK_EDITABLE (self->budget_row), 0);
  self->volume_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->volume_row),
                                 _("_Messages a month"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->volume_row), TRUE);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (money), _("Budget and Volume"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (money),
                                         _("Compared with the price table and your senders’ "
                                           "daily limits. Leave empty if you do not know yet."));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (money), GTK_WIDGET (self->budget_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (money), GTK_WIDGET (self->volume_row));

  self->pages[1] =
    question_page (self, _("Which Channels, and How Much?"),
                   _("WhatsApp needs templates approved by Meta before you write first; SMS is "
                     "paid per segment."),
                   choice_group (self, _("Channels"), NULL, channel_rows,
                                 G_N_ELEMENTS (channel_rows), FALSE),
                   money, NULL);
  self->pages[2] =
    question_page (self, _("How Do You Gather Numbers?"),
                   _("Each way needs proof of consent: when, where, and the words the person "
                     "agreed to. Buying lists is never allowed."),
                   choice_group (self, _("Opt-In Sources"), NULL, source_rows,
                                 G_N_ELEMENTS (source_rows), FALSE),
                   NULL);
  self->pages[3] =
    question_page (self, _("Which Results Matter?"),
                   _("Textcast checks that what you want to measure is measured."),
                   choice_group (self, _("Results"), NULL, goal_rows, G_N_ELEMENTS (goal_rows),
                                 FALSE),
                   NULL);
  for (guint i = 0; i < N_QUESTION_PAGES; i++)
    adw_carousel_append (self->carousel, self->pages[i]);
  g_signal_connect_object (self->carousel, "page-changed",
                           G_CALLBACK (on_carousel_page_changed_cb), self, G_CONNECT_SWAPPED);

  self->questions_error = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->questions_error, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->questions_error), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->questions_error), FALSE);
  gtk_widget_set_margin_start (GTK_WIDGET (self->questions_error), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->questions_error), 12);

  self->back_button = gtk_button_new_with_mnemonic (_("_Back"));
  g_signal_connect_swapped (self->back_button, "clicked", G_CALLBACK (on_back_clicked_cb), self);
  self->next_button = gtk_button_new_with_mnemonic (_("_Next"));
  gtk_widget_add_css_class (self->next_button, "suggested-action");
  g_signal_connect_swapped (self->next_button, "clicked", G_CALLBACK (on_next_clicked_cb), self);
  adw_carousel_indicator_dots_set_carousel (ADW_CAROUSEL_INDICATOR_DOTS (dots), self->carousel);
  gtk_center_box_set_start_widget (GTK_CENTER_BOX (buttons), self->back_button);
  gtk_center_box_set_center_widget (GTK_CENTER_BOX (buttons), dots);
  gtk_center_box_set_end_widget (GTK_CENTER_BOX (buttons), self->next_button);
  gtk_widget_set_margin_start (buttons, 12);
  gtk_widget_set_margin_end (buttons, 12);
  gtk_widget_set_margin_top (buttons, 6);
  gtk_widget_set_margin_bottom (buttons, 12);

  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->carousel));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->questions_error));
  gtk_box_append (GTK_BOX (box), buttons);

  return box;
}

/* ------------------------------------------------------------------------
 * Findings
 */

static const char *
severity_icon (const TcReadinessCheck *check)
{
  if (check->passed)
    return "emblem-ok-symbolic";

  switch (check->severity)
    {
    case TC_READINESS_CRITICAL:
      return "dialog-error-symbolic";
    case TC_READINESS_WARNING:
      return "dialog-warning-symbolic";
    case TC_READINESS_INFO:
    default:
      return "dialog-information-symbolic";
    }
}

static const char *
severity_words (const TcReadinessCheck *check)
{
  if (check->passed)
    /* TRANSLATORS: a readiness check that passes. */
    return C_("readiness", "Done");

  switch (check->severity)
    {
    case TC_READINESS_CRITICAL:
      return _("Must fix");
    case TC_READINESS_WARNING:
      return _("Should fix");
    case TC_READINESS_INFO:
    default:
      return _("Worth knowing");
    }
}

static void
on_fix_clicked_cb (GtkButton       *button,
                   TcReadinessPage *self)
{
  const char *place = g_object_get_data (G_OBJECT (button), "place");
  const char *id = g_object_get_data (G_OBJECT (button), "id");

  g_debug ("Readiness fix %s in %s", id, place);
  if (g_strcmp0 (place, "readiness:questions") == 0)
    tc_readiness_page_show_questions (self, TRUE);
  else
    g_signal_emit (self, signals[FIX_REQUESTED], 0, place);
}

static GtkWidget *
check_row (TcReadinessPage        *self,
           const TcReadinessCheck *check)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (severity_icon (check));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), check->title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), check->explanation);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  severity_words (check), -1);
  gtk_widget_set_tooltip_text (icon, severity_words (check));
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  if (check->passed)
    gtk_widget_add_css_class (icon, "success");
  else if (check->severity == TC_READINESS_CRITICAL)
    gtk_widget_add_css_class (icon, "error");
  else if (check->severity == TC_READINESS_WARNING)
    gtk_widget_add_css_class (icon, "warning");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  if (!check->passed)
    {
      GtkWidget *fix = gtk_button_new_with_label (_("Fix…"));
      g_autofree char *name = g_strdup_printf (_("Fix: %s"), check->title);

      gtk_widget_set_valign (fix, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (fix), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      g_object_set_data_full (G_OBJECT (fix), "place", g_strdup (check->place), g_free);
      g_object_set_data_full (G_OBJECT (fix), "id", g_strdup (check->id), g_free);
      g_signal_connect_object (fix, "clicked", G_CALLBACK (on_fix_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), fix);
      g_hash_table_insert (self->fix_buttons, g_strdup (check->id), fix);
    }

  return row;
}

static void
show_report (TcReadinessPage *self)
{
  const TcReadinessReport *report = self->report;
  g_autofree char *score = g_strdup_printf ("%u", report->score);
  g_autofree char *summary = NULL;
  guint n_passed = report->checks->len - report->n_failed;

  gtk_label_set_label (self->score_label, score);
  gtk_level_bar_set_value (self->score_bar, report->score);
  if (report->n_failed == 0)
    summary = g_strdup (_("Nothing is missing. Well done."));
  else
    summary = g_strdup_printf (ngettext ("%u thing to fix before texting customers",
                                         "%u things to fix before texting customers",
                                         report->n_failed), report->n_failed);
  gtk_label_set_label (self->summary_label, summary);
  {
    g_autofree char *description = g_strdup_printf (_("Readiness score %u out of 100"),
                                                    report->score);

    gtk_accessible_update_property (GTK_ACCESSIBLE (self->score_bar),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
  }

  if (self->findings_group != NULL)
    gtk_box_remove (GTK_BOX (self->results_box), self->findings_group);
  if (self->passed_group != NULL)
    gtk_box_remove (GTK_BOX (self->results_box), self->passed_group);
  g_hash_table_remove_all (self->fix_buttons);

  self->findings_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->findings_group), _("To Fix"));
  self->passed_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->passed_group), _("In Place"));
  for (guint i = 0; i < report->checks->len; i++)
    {
      const TcReadinessCheck *check = g_ptr_array_index (report->checks, i);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (check->passed ? self->passed_group
                                                                      : self->findings_group),
                                 check_row (self, check));
    }
  gtk_widget_set_visible (self->findings_group, report->n_failed > 0);
  gtk_widget_set_visible (self->passed_group, n_passed > 0);
  gtk_box_append (GTK_BOX (self->results_box), self->findings_group);
  gtk_box_append (GTK_BOX (self->results_box), self->passed_group);

  g_debug ("Readiness score %u, %u findings", report->score, report->n_failed);
  log_positions_soon (self);
}

static void
on_inspected_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TcReadinessPage) self = user_data;
  g_autoptr(GError) error = NULL;
  TcReadinessReport *report;

  report = tc_readiness_inspect_finish (TC_REPOSITORY (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading = FALSE;
  gtk_spinner_set_spinning (self->spinner, FALSE);
  if (report == NULL)
    {
      gtk_label_set_label (self->summary_label, error->message);
      return;
    }

  g_clear_pointer (&self->report, tc_readiness_report_free);
  self->report = report;

  /* The first time: straight to the questions while none is answered. */
  if (!self->shown_once)
    {
      gboolean any = FALSE;

      self->shown_once = TRUE;
      for (guint i = 0; i < TC_READINESS_N_ANSWERS; i++)
        any |= report->answers->values[i] != NULL;
      fill_questions (self, report->answers);
      if (!any)
        tc_readiness_page_show_questions (self, TRUE);
    }

  show_report (self);

  if (self->dirty)
    {
      self->dirty = FALSE;
      refresh (self);
    }
}

static void
refresh (TcReadinessPage *self)
{
  if (self->repository == NULL)
    return;
  if (self->loading)
    {
      self->dirty = TRUE;
      return;
    }

  self->loading = TRUE;
  gtk_spinner_set_spinning (self->spinner, TRUE);
  tc_readiness_inspect_async (self->repository, g_get_real_time () / G_USEC_PER_SEC,
                              self->cancellable, on_inspected_cb, g_object_ref (self));
}

static gboolean
on_refresh_timeout_cb (gpointer user_data)
{
  TcReadinessPage *self = user_data;

  self->refresh_source = 0;
  refresh (self);

  return G_SOURCE_REMOVE;
}

static void
refresh_soon (TcReadinessPage *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  self->refresh_source = g_timeout_add (REFRESH_DELAY_MS, on_refresh_timeout_cb, self);
}

static void
on_contacts_changed_cb (TcReadinessPage *self,
                        TcRepository    *repository)
{
  refresh_soon (self);
}

static void
on_settings_changed_cb (TcReadinessPage *self,
                        const char      *key,
                        TcRepository    *repository)
{
  refresh_soon (self);
}

/* Back from Preferences or another window: what was fixed there shows. */
static void
on_window_active_cb (TcReadinessPage *self,
                     GParamSpec      *pspec,
                     GtkWindow       *window)
{
  if (gtk_window_is_active (window) && gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      g_debug ("Readiness: the window is back, looking again");
      refresh (self);
    }
}

static void
on_webhooks_checked_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(TcReadinessPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  message = tc_readiness_check_webhooks_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_widget_set_sensitive (self->webhooks_button, TRUE);
  gtk_label_set_label (self->webhooks_message, message != NULL ? message : error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->webhooks_message), TRUE);
  refresh (self);
}

static void
on_webhooks_clicked_cb (TcReadinessPage *self)
{
  if (self->repository == NULL)
    return;

  gtk_widget_set_sensitive (self->webhooks_button, FALSE);
  gtk_label_set_label (self->webhooks_message, _("Asking the public URL…"));
  gtk_widget_set_visible (GTK_WIDGET (self->webhooks_message), TRUE);
  tc_readiness_check_webhooks_async (self->repository, NULL, self->cancellable,
                                     on_webhooks_checked_cb, g_object_ref (self));
}

static void
on_answers_clicked_cb (TcReadinessPage *self)
{
  tc_readiness_page_show_questions (self, TRUE);
}

static GtkWidget *
build_results (TcReadinessPage *self)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *score_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *out_of = gtk_label_new (_("out of 100"));
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *answers = gtk_button_new_with_mnemonic (_("Change _Answers…"));

  self->answers_button = answers;
  self->results_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);

  self->score_label = GTK_LABEL (gtk_label_new ("–"));
  gtk_widget_add_css_class (GTK_WIDGET (self->score_label), "title-1");
  gtk_widget_add_css_class (GTK_WIDGET (self->score_label), "numeric");
  gtk_widget_add_css_class (GTK_WIDGET (self->score_label), "tc-readiness-score");
  gtk_widget_add_css_class (out_of, "dim-label");
  self->score_bar = GTK_LEVEL_BAR (gtk_level_bar_new_for_interval (0, 100));
  gtk_level_bar_add_offset_value (self->score_bar, GTK_LEVEL_BAR_OFFSET_LOW, 50);
  gtk_level_bar_add_offset_value (self->score_bar, GTK_LEVEL_BAR_OFFSET_HIGH, 80);
  gtk_level_bar_add_offset_value (self->score_bar, GTK_LEVEL_BAR_OFFSET_FULL, 100);
  gtk_widget_set_size_request (GTK_WIDGET (self->score_bar), 240, -1);
  gtk_widget_set_halign (GTK_WIDGET (self->score_bar), GTK_ALIGN_CENTER);
  self->summary_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->summary_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->summary_label), "title-4");
  gtk_box_append (GTK_BOX (score_box), GTK_WIDGET (self->score_label));
  gtk_box_append (GTK_BOX (score_box), out_of);
  gtk_box_append (GTK_BOX (score_box), GTK_WIDGET (self->score_bar));
  gtk_box_append (GTK_BOX (score_box), GTK_WIDGET (self->summary_label));

  g_signal_connect_swapped (answers, "clicked", G_CALLBACK (on_answers_clicked_cb), self);
  gtk_widget_add_css_class (answers, "pill");
  self->webhooks_button = gtk_button_new_with_mnemonic (_("Check _Webhooks"));
  gtk_widget_set_tooltip_text (self->webhooks_button,
                               _("Ask the public URL whether it reaches this Textcast"));
  gtk_widget_add_css_class (self->webhooks_button, "pill");
  g_signal_connect_swapped (self->webhooks_button, "clicked", G_CALLBACK (on_webhooks_clicked_cb),
                            self);
  gtk_box_append (GTK_BOX (buttons), answers);
  gtk_box_append (GTK_BOX (buttons), self->webhooks_button);
  gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (buttons, 12);
  gtk_box_append (GTK_BOX (score_box), buttons);
  self->webhooks_message = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->webhooks_message, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->webhooks_message), "dim-label");
  gtk_widget_set_visible (GTK_WIDGET (self->webhooks_message), FALSE);
  gtk_box_append (GTK_BOX (score_box), GTK_WIDGET (self->webhooks_message));

  gtk_box_append (GTK_BOX (self->results_box), score_box);
  gtk_widget_set_margin_top (self->results_box, 24);
  gtk_widget_set_margin_bottom (self->results_box, 24);
  gtk_widget_set_margin_start (self->results_box, 12);
  gtk_widget_set_margin_end (self->results_box, 12);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 720);
  adw_clamp_set_child (ADW_CLAMP (clamp), self->results_box);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)),
                           "value-changed", G_CALLBACK (on_scrolled_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_set_vexpand (scroller, TRUE);

  return scroller;
}

/* ------------------------------------------------------------------------
 * GtkWidget
 */

static void
tc_readiness_page_map (GtkWidget *widget)
{
  TcReadinessPage *self = TC_READINESS_PAGE (widget);

  GTK_WIDGET_CLASS (tc_readiness_page_parent_class)->map (widget);

  g_debug ("Readiness page shown");
  refresh (self);
}

static void
tc_readiness_page_root (GtkWidget *widget)
{
  TcReadinessPage *self = TC_READINESS_PAGE (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (tc_readiness_page_parent_class)->root (widget);

  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    {
      self->window = GTK_WINDOW (root);
      self->active_id = g_signal_connect_object (root, "notify::is-active",
                                                 G_CALLBACK (on_window_active_cb), self,
                                                 G_CONNECT_SWAPPED);
    }
}

static void
tc_readiness_page_unroot (GtkWidget *widget)
{
  TcReadinessPage *self = TC_READINESS_PAGE (widget);

  if (self->window != NULL)
    g_clear_signal_handler (&self->active_id, self->window);
  self->window = NULL;

  GTK_WIDGET_CLASS (tc_readiness_page_parent_class)->unroot (widget);
}

/* ------------------------------------------------------------------------
 * GObject
 */

static void
tc_readiness_page_dispose (GObject *object)
{
  TcReadinessPage *self = TC_READINESS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->repository);

  G_OBJECT_CLASS (tc_readiness_page_parent_class)->dispose (object);
}

static void
tc_readiness_page_finalize (GObject *object)
{
  TcReadinessPage *self = TC_READINESS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->report, tc_readiness_report_free);
  g_clear_pointer (&self->checks, g_hash_table_unref);
  g_clear_pointer (&self->fix_buttons, g_hash_table_unref);

  G_OBJECT_CLASS (tc_readiness_page_parent_class)->finalize (object);
}

static void
tc_readiness_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TcReadinessPage *self = TC_READINESS_PAGE (object);

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
tc_readiness_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TcReadinessPage *self = TC_READINESS_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      tc_readiness_page_set_folded (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_readiness_page_class_init (TcReadinessPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tc_readiness_page_dispose;
  object_class->finalize = tc_readiness_page_finalize;
  object_class->get_property = tc_readiness_page_get_property;
  object_class->set_property = tc_readiness_page_set_property;
  widget_class->map = tc_readiness_page_map;
  widget_class->root = tc_readiness_page_root;
  widget_class->unroot = tc_readiness_page_unroot;

  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[FIX_REQUESTED] =
    g_signal_new ("fix-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tc_readiness_page_init (TcReadinessPage *self)
{
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *sidebar_button = gtk_button_new_from_icon_name ("go-previous-symbolic");

  self->cancellable = g_cancellable_new ();
  self->checks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->fix_buttons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  gtk_actionable_set_action_name (GTK_ACTIONABLE (sidebar_button), "win.show-sidebar");
  gtk_widget_set_tooltip_text (sidebar_button, _("Show Sections"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (sidebar_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Show Sections"), -1);
  g_object_bind_property (self, "folded", sidebar_button, "visible", G_BINDING_SYNC_CREATE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), sidebar_button);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new (_("Readiness"), NULL));
  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Checking"), -1);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), GTK_WIDGET (self->spinner));
  gtk_box_append (GTK_BOX (self->box), header);

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  gtk_stack_add_named (self->stack, build_results (self), "results");
  gtk_stack_add_named (self->stack, build_questions (self), "questions");
  gtk_stack_set_visible_child_name (self->stack, "results");
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->stack));

  update_navigation (self);
}

/* ------------------------------------------------------------------------
 * Public API
 */

void
tc_readiness_page_set_repository (TcReadinessPage *self,
                                  TcRepository    *repository)
{
  g_return_if_fail (TC_IS_READINESS_PAGE (self));
  g_return_if_fail (TC_IS_REPOSITORY (repository));

  if (self->repository == repository)
    return;

  g_set_object (&self->repository, repository);
  g_signal_connect_object (repository, "settings-changed", G_CALLBACK (on_settings_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (repository, "contacts-changed", G_CALLBACK (on_contacts_changed_cb),
                           self, G_CONNECT_SWAPPED);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    refresh (self);
}

void
tc_readiness_page_show_questions (TcReadinessPage *self,
                                  gboolean         questions)
{
  g_return_if_fail (TC_IS_READINESS_PAGE (self));

  if (questions)
    {
      if (self->report != NULL)
        fill_questions (self, self->report->answers);
      gtk_widget_set_visible (GTK_WIDGET (self->questions_error), FALSE);
      /* From the top, as the first time. */
      for (guint i = 0; i < N_QUESTION_PAGES; i++)
        gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->pages[i])), 0);
      adw_carousel_scroll_to (self->carousel, self->pages[0], FALSE);
      gtk_stack_set_visible_child_name (self->stack, "questions");
      g_debug ("Readiness questions shown");
    }
  else
    {
      gtk_stack_set_visible_child_name (self->stack, "results");
      g_debug ("Readiness findings shown");
      refresh (self);
    }
  update_navigation (self);
}

gboolean
tc_readiness_page_get_folded (TcReadinessPage *self)
{
  g_return_val_if_fail (TC_IS_READINESS_PAGE (self), FALSE);

  return self->folded;
}

void
tc_readiness_page_set_folded (TcReadinessPage *self,
                              gboolean         folded)
{
  g_return_if_fail (TC_IS_READINESS_PAGE (self));

  folded = !!folded;
  if (self->folded == folded)
    return;

  self->folded = folded;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDED]);
}
