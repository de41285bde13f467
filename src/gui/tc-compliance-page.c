/* tc-compliance-page.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-compliance-page"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "tc-compliance-page.h"
#include "tc-gui-util.h"
#include "tc-keywords.h"
#include "tc-quiet-hours.h"
#include "tc-repository.h"
#include "tc-settings.h"
#include "tc-preferences-window.h"

/* How long after the last keystroke a change is saved. */
#define SAVE_DELAY_MS 400

#define DEFAULT_CAP_COUNT     1
#define DEFAULT_CAP_HOURS     24
#define DEFAULT_CONFIRM_HOURS 48

static const struct {
  const char *code;
  const char *name;
} languages[] = {
  { "en", N_("English") },
  { "fr", N_("French") },
  { "es", N_("Spanish") },
  { "de", N_("German") },
  { "it", N_("Italian") },
  { "pt", N_("Portuguese") },
  { "nl", N_("Dutch") },
};

/* The reply texts, per language. */
static const struct {
  const char *prefix;
  const char *title;
} replies[] = {
  { TC_SETTING_REPLY_OPTOUT_PREFIX, N_("Reply to an opt-out (STOP)") },
  { TC_SETTING_REPLY_OPTIN_PREFIX, N_("Reply to an opt-in (START)") },
  { TC_SETTING_REPLY_HELP_PREFIX, N_("Reply to HELP") },
  { TC_SETTING_CONFIRM_TEXT_PREFIX, N_("Double opt-in request (asks for YES)") },
  { TC_SETTING_REPLY_CONFIRMED_PREFIX, N_("Reply after YES") },
};

#define N_REPLIES G_N_ELEMENTS (replies)

/* Key names of the days in the quiet-hours JSON, Monday first. */
static const char * const day_keys[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

/* One quiet-hours rule as it is being edited. Its day and note rows are
 * made the first time it is opened (ensure_rule_rows()): until then the
 * rule as loaded stands for them. */
typedef struct
{
  char            country[3];
  char            subdivision[4];
  TcCompliancePage *page;
  TcQuietHoursRule loaded;        /* its note is in @note */
  char           *note;
  GtkWidget      *row;            /* AdwExpanderRow; a weak pointer */
  AdwEntryRow    *day_rows[7];
  GtkWidget      *closed_labels[7];  /* “no messages”, on an empty day */
  AdwEntryRow    *note_row;
} RuleEditor;

struct _TcCompliancePage
{
  AdwPreferencesPage  parent_instance;

  /* Template widgets */
  AdwPreferencesGroup *quiet_group;
  GtkLabel           *quiet_message;
  GtkSpinButton      *cap_count_spin;
  GtkSpinButton      *cap_hours_spin;
  GtkSwitch          *double_sms_switch;
  GtkSwitch          *double_whatsapp_switch;
  GtkSpinButton      *confirm_hours_spin;
  AdwComboRow        *language_row;
  AdwActionRow       *optout_words_row;
  AdwActionRow       *optin_words_row;
  AdwActionRow       *help_words_row;
  GtkEntry           *optout_words_entry;
  GtkEntry           *optin_words_entry;
  GtkEntry           *help_words_entry;
  GtkLabel           *keywords_message;
  AdwPreferencesGroup *replies_group;
  AdwEntryRow        *program_row;
  AdwEntryRow        *frequency_row;
  AdwEntryRow        *support_row;

  AdwEntryRow        *reply_rows[N_REPLIES];
  GtkWidget          *reply_resets[N_REPLIES];

  TcRepository       *repository;
  /* What is stored, as last loaded and since changed here. */
  GHashTable         *settings;
  /* key → value (NULL: back to the default) waiting to be saved. */
  GHashTable         *pending;
  guint               save_source;
  GPtrArray          *rules;      /* (element-type RuleEditor) */

  guint               filling : 1;
};

G_DEFINE_FINAL_TYPE (TcCompliancePage, tc_compliance_page, ADW_TYPE_PREFERENCES_PAGE)

static void
rule_editor_free (RuleEditor *editor)
{
  if (editor->row != NULL)
    {
      g_signal_handlers_disconnect_by_data (editor->row, editor);
      g_object_remove_weak_pointer (G_OBJECT (editor->row), (gpointer *) &editor->row);
    }
  g_free (editor->note);
  g_free (editor);
}

static const char *
current_language (TcCompliancePage *self)
{
  guint selected = adw_combo_row_get_selected (self->language_row);

  return languages[selected < G_N_ELEMENTS (languages) ? selected : 0].code;
}

static void
toast (TcCompliancePage *self,
       const char       *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwToast *news;

  if (!TC_IS_PREFERENCES_WINDOW (root))
    {
      g_message ("%s", text);
      return;
    }

  news = adw_toast_new (text);
  adw_toast_set_timeout (news, 6);
  tc_preferences_window_add_toast (TC_PREFERENCES_WINDOW (root), news);
}

/* Shows @text under a group: an error in red, a note dimmed; NULL hides it. */
static void
set_message (GtkLabel   *label,
             const char *text,
             gboolean    error)
{
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
  gtk_label_set_text (label, text != NULL ? text : "");
  if (error)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (label), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
    }
}

static void
set_row_error (GtkWidget *row,
               gboolean   error)
{
  if (error)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
}

typedef struct
{
  TcCompliancePage *self;
  char             *key;
} SaveJob;

static void
save_job_free (SaveJob *job)
{
  g_clear_object (&job->self);
  g_free (job->key);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveJob, save_job_free)

static void
on_setting_saved_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(SaveJob) job = user_data;
  TcCompliancePage *self = job->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *text = NULL;

  if (tc_settings_set_finish (TC_REPOSITORY (object), result, &error))
    return;

  reason = tc_gui_describe_error (error);
  text = g_strdup_printf (_("Could not save the preferences: %s"), reason);

  /* Next to what was typed when there is room for the whole reason. */
  if (g_str_equal (job->key, TC_SETTING_QUIET_HOURS_RULES) && gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    set_message (self->quiet_message, text, TRUE);
  else if ((g_str_has_prefix (job->key, "keywords.") || g_str_has_prefix (job->key, "reply.") ||
            g_str_has_prefix (job->key, TC_SETTING_CONFIRM_TEXT_PREFIX)) &&
           gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    set_message (self->keywords_message, text, TRUE);
  else
    toast (self, text);
}

static void
flush (TcCompliancePage *self)
{
  g_autoptr(GHashTable) pending = NULL;
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  g_clear_handle_id (&self->save_source, g_source_remove);
  if (g_hash_table_size (self->pending) == 0 || self->repository == NULL)
    return;

  pending = g_steal_pointer (&self->pending);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_hash_table_iter_init (&iter, pending);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      SaveJob *job = g_new0 (SaveJob, 1);

      job->self = g_object_ref (self);
      job->key = g_strdup (key);
      tc_settings_set_async (self->repository, key, value, NULL, on_setting_saved_cb, job);
    }
}

static gboolean
on_save_timeout_cb (gpointer user_data)
{
  TcCompliancePage *self = user_data;

  self->save_source = 0;
  flush (self);

  return G_SOURCE_REMOVE;
}

/* Queues @key = @value (NULL: the default) and remembers it as stored. */
static void
store (TcCompliancePage *self,
       const char       *key,
       const char       *value)
{
  if (self->filling)
    return;

  if (value != NULL)
    g_hash_table_replace (self->settings, g_strdup (key), g_strdup (value));
  else
    g_hash_table_remove (self->settings, key);

  g_hash_table_replace (self->pending, g_strdup (key), g_strdup (value));
  g_clear_handle_id (&self->save_source, g_source_remove);
  self->save_source = g_timeout_add (SAVE_DELAY_MS, on_save_timeout_cb, self);
}

/* Takes a queued change back (it turned out not to be valid). */
static void
unqueue (TcCompliancePage *self,
         const char       *key)
{
  g_hash_table_remove (self->pending, key);
}

static char *
language_key (const char *prefix,
              const char *language)
{
  return g_strconcat (prefix, language, NULL);
}

static const char *
setting (TcCompliancePage *self,
         const char       *key)
{
  return g_hash_table_lookup (self->settings, key);
}

static guint64
setting_uint (TcCompliancePage *self,
              const char       *key,
              guint64           min,
              guint64           max,
              guint64           fallback)
{
  const char *value = setting (self, key);
  guint64 n;

  if (value == NULL || !g_ascii_string_to_unsigned (value, 10, min, max, &n, NULL))
    return fallback;

  return n;
}

/*
 * Frequency cap and double opt-in
 */

static void
store_number (TcCompliancePage *self,
              const char       *key,
              GtkSpinButton    *spin,
              guint             fallback)
{
  guint n = (guint) gtk_spin_button_get_value_as_int (spin);
  g_autofree char *value = g_strdup_printf ("%u", n);

  store (self, key, n == fallback ? NULL : value);
}

static void
on_cap_changed_cb (TcCompliancePage *self)
{
  store_number (self, TC_SETTING_CAP_COUNT, self->cap_count_spin, DEFAULT_CAP_COUNT);
  store_number (self, TC_SETTING_CAP_HOURS, self->cap_hours_spin, DEFAULT_CAP_HOURS);
}

static void
on_confirm_hours_changed_cb (TcCompliancePage *self)
{
  store_number (self, TC_SETTING_CONFIRM_HOURS, self->confirm_hours_spin, DEFAULT_CONFIRM_HOURS);
}

static void
on_double_optin_changed_cb (TcCompliancePage *self)
{
  store (self, TC_SETTING_DOUBLE_OPTIN_PREFIX "sms",
         gtk_switch_get_active (self->double_sms_switch) ? "true" : NULL);
  store (self, TC_SETTING_DOUBLE_OPTIN_PREFIX "whatsapp",
         gtk_switch_get_active (self->double_whatsapp_switch) ? "true" : NULL);
  if (!self->filling)
    flush (self);
}

/*
 * Keywords and replies
 */

static char *
normalize_words (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) words = NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (parts[i][0] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }

  words = g_strv_builder_end (builder);
  return g_strjoinv (", ", words);
}

static void
on_words_changed_cb (TcCompliancePage *self,
                     GtkEntry         *entry)
{
  g_autoptr(GHashTable) trial = NULL;
  g_autoptr(TcKeywords) keywords = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *words = NULL;
  const char *prefix;
  GHashTableIter iter;
  gpointer k;
  gpointer v;

  if (self->filling)
    return;

  if (entry == self->optout_words_entry)
    prefix = TC_SETTING_KEYWORDS_OPTOUT_PREFIX;
  else if (entry == self->optin_words_entry)
    prefix = TC_SETTING_KEYWORDS_OPTIN_PREFIX;
  else
    prefix = TC_SETTING_KEYWORDS_HELP_PREFIX;

  key = language_key (prefix, current_language (self));
  words = normalize_words (gtk_editable_get_text (GTK_EDITABLE (entry)));

  /* The lists are checked the way inbound messages will read them. */
  trial = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_iter_init (&iter, self->settings);
  while (g_hash_table_iter_next (&iter, &k, &v))
    g_hash_table_insert (trial, k, v);
  if (words[0] != '\0')
    g_hash_table_insert (trial, key, words);
  else
    g_hash_table_remove (trial, key);

  keywords = tc_keywords_new_from_settings (trial, &error);
  if (keywords == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Not saved: %s"), error->message);

      set_message (self->keywords_message, text, TRUE);
      set_row_error (GTK_WIDGET (entry), TRUE);
      unqueue (self, key);
      return;
    }

  set_row_error (GTK_WIDGET (entry), FALSE);
  set_message (self->keywords_message, NULL, FALSE);
  store (self, key, words[0] != '\0' ? words : NULL);
}

static const char *
default_reply (guint       i,
               const char *language)
{
  const char *text = tc_settings_default_text (replies[i].prefix, language);

  return text != NULL ? text : "";
}

static void
on_reply_changed_cb (TcCompliancePage *self,
                     AdwEntryRow      *row)
{
  const char *language = current_language (self);
  g_autofree char *text = NULL;
  g_autofree char *key = NULL;
  gboolean custom;
  guint i;

  if (self->filling)
    return;

  for (i = 0; i < N_REPLIES; i++)
    if (self->reply_rows[i] == row)
      break;
  g_assert (i < N_REPLIES);

  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  key = language_key (replies[i].prefix, language);
  custom = text[0] != '\0' && g_strcmp0 (text, default_reply (i, language)) != 0;
  gtk_widget_set_visible (self->reply_resets[i], custom);
  store (self, key, custom ? text : NULL);
}

static void
on_reply_reset_clicked_cb (TcCompliancePage *self,
                           GtkButton        *button)
{
  guint i = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "reply-index"));

  g_assert (i < N_REPLIES);

  gtk_editable_set_text (GTK_EDITABLE (self->reply_rows[i]), default_reply (i, current_language (self)));
  flush (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->reply_rows[i]));
}

static char *
builtin_subtitle (TcInboundAction  action,
                  const char      *language)
{
  const char * const *words = tc_keywords_builtin (action, language);
  g_autofree char *list = NULL;

  if (words == NULL || words[0] == NULL)
    return g_strdup (_("No built-in words in this language"));

  list = g_strjoinv (", ", (char **) words);
  /* Translators: %s is a list of words, “STOP, STOPALL, UNSUBSCRIBE” */
  return g_strdup_printf (_("Built in: %s"), list);
}

static void
fill_language (TcCompliancePage *self)
{
  const char *language = current_language (self);
  const struct {
    AdwActionRow    *row;
    GtkEntry        *entry;
    const char      *prefix;
    TcInboundAction  action;
  } words[] = {
    { self->optout_words_row, self->optout_words_entry, TC_SETTING_KEYWORDS_OPTOUT_PREFIX, TC_INBOUND_ACTION_OPT_OUT },
    { self->optin_words_row, self->optin_words_entry, TC_SETTING_KEYWORDS_OPTIN_PREFIX, TC_INBOUND_ACTION_OPT_IN },
    { self->help_words_row, self->help_words_entry, TC_SETTING_KEYWORDS_HELP_PREFIX, TC_INBOUND_ACTION_HELP },
  };
  gboolean was_filling = self->filling;

  self->filling = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      g_autofree char *key = language_key (words[i].prefix, language);
      g_autofree char *subtitle = builtin_subtitle (words[i].action, language);
      const char *value = setting (self, key);

      adw_action_row_set_subtitle (words[i].row, subtitle);
      gtk_editable_set_text (GTK_EDITABLE (words[i].entry), value != NULL ? value : "");
      set_row_error (GTK_WIDGET (words[i].entry), FALSE);
    }
  set_message (self->keywords_message, NULL, FALSE);

  for (guint i = 0; i < N_REPLIES; i++)
    {
      g_autofree char *key = language_key (replies[i].prefix, language);
      const char *builtin = default_reply (i, language);
      const char *value = setting (self, key);
      gboolean custom = value != NULL && value[0] != '\0' && g_strcmp0 (value, builtin) != 0;

      gtk_editable_set_text (GTK_EDITABLE (self->reply_rows[i]), custom ? value : builtin);
      gtk_widget_set_visible (self->reply_resets[i], custom);
    }

  self->filling = was_filling;
}

static void
on_language_changed_cb (TcCompliancePage *self)
{
  /* What was typed for the last language goes out under its own keys. */
  flush (self);
  fill_language (self);
}

static void
on_help_changed_cb (TcCompliancePage *self,
                    AdwEntryRow      *row)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  const char *key;

  if (row == self->program_row)
    key = TC_SETTING_HELP_PROGRAM;
  else if (row == self->frequency_row)
    key = TC_SETTING_HELP_FREQUENCY;
  else
    key = TC_SETTING_HELP_SUPPORT;

  store (self, key, text[0] != '\0' ? text : NULL);
}

static void
build_reply_rows (TcCompliancePage *self)
{
  for (guint i = 0; i < N_REPLIES; i++)
    {
      AdwEntryRow *row = ADW_ENTRY_ROW (adw_entry_row_new ());
      GtkWidget *reset;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(replies[i].title));
      g_signal_connect_object (row, "changed", G_CALLBACK (on_reply_changed_cb), self, G_CONNECT_SWAPPED);

      reset = gtk_button_new_from_icon_name ("edit-undo-symbolic");
      gtk_widget_set_valign (reset, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (reset, _("Use the Built-In Text"));
      gtk_widget_add_css_class (reset, "flat");
      gtk_widget_set_visible (reset, FALSE);
      g_object_set_data (G_OBJECT (reset), "reply-index", GUINT_TO_POINTER (i));
      g_signal_connect_object (reset, "clicked", G_CALLBACK (on_reply_reset_clicked_cb), self,
                               G_CONNECT_SWAPPED);
      adw_entry_row_add_suffix (row, reset);

      adw_preferences_group_add (self->replies_group, GTK_WIDGET (row));
      self->reply_rows[i] = row;
      self->reply_resets[i] = reset;
    }
}

/*
 * Quiet hours
 */

static char *
rule_title (const char *country,
            const char *subdivision)
{
  if (country[0] == '*')
    return g_strdup (_("Everywhere Else (the default)"));

  if (subdivision[0] != '\0')
    /* Translators: a country and a state or province code: “United States — FL” */
    return g_strdup_printf (_("%s — %s"), tc_gui_country_name (country), subdivision);

  /* Translators: a country and its code: “France (FR)” */
  return g_strdup_printf (_("%s (%s)"), tc_gui_country_name (country), country);
}

/* Reads the editor's rows into @rule; FALSE if a day cannot be read
 * (that day's row is marked, and *@bad_day is the first such day). */
static gboolean
read_rule (RuleEditor       *editor,
           TcQuietHoursRule *rule,
           guint            *bad_day)
{
  gboolean ok = TRUE;

  memset (rule, 0, sizeof *rule);
  memcpy (rule->country, editor->country, sizeof rule->country);
  memcpy (rule->subdivision, editor->subdivision, sizeof rule->subdivision);

  if (editor->day_rows[0] == NULL)
    {
      memcpy (rule->days, editor->loaded.days, sizeof rule->days);
      return TRUE;
    }

  for (guint d = 0; d < 7; d++)
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (editor->day_rows[d]));
      gboolean valid = tc_gui_parse_time_window (text, &rule->days[d].start, &rule->days[d].end);

      set_row_error (GTK_WIDGET (editor->day_rows[d]), !valid);
      gtk_widget_set_visible (editor->closed_labels[d], valid && rule->days[d].start == rule->days[d].end);
      if (!valid && ok && bad_day != NULL)
        *bad_day = d;
      ok = ok && valid;
    }

  return ok;
}

static void
update_rule_subtitle (RuleEditor *editor)
{
  TcQuietHoursRule rule;
  g_autofree char *summary = NULL;

  if (!read_rule (editor, &rule, NULL))
    {
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (editor->row),
                                     _("A day’s hours cannot be read: write them as 08:00-21:00"));
      return;
    }

  /* The note is inside; libadwaita 1.2 keeps an expander's subtitle to
   * one line. */
  summary = tc_gui_describe_quiet_rule (&rule);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (editor->row), summary);
}

/* The rules as JSON, or NULL with @message set when one cannot be read. */
static char *
rules_to_json (TcCompliancePage  *self,
               char             **message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < self->rules->len; i++)
    {
      RuleEditor *editor = g_ptr_array_index (self->rules, i);
      g_autofree char *note = g_strstrip (g_strdup (editor->note_row != NULL
                                                    ? gtk_editable_get_text (GTK_EDITABLE (editor->note_row))
                                                    : editor->note != NULL ? editor->note : ""));
      TcQuietHoursRule rule;
      guint bad_day = 0;

      if (!read_rule (editor, &rule, &bad_day))
        {
          g_autofree char *title = rule_title (editor->country, editor->subdivision);

          /* Translators: “Not saved: the Saturday hours of France (FR), “25:00-20:00”, …” */
          *message = g_strdup_printf (_("Not saved: the %s hours of %s, “%s”, cannot be read. Write them as 08:00-21:00, or leave the day empty for no messages."),
                                      tc_gui_weekday_name (bad_day), title,
                                      gtk_editable_get_text (GTK_EDITABLE (editor->day_rows[bad_day])));
          return NULL;
        }

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "country");
      json_builder_add_string_value (builder, editor->country);
      if (editor->subdivision[0] != '\0')
        {
          json_builder_set_member_name (builder, "subdivision");
          json_builder_add_string_value (builder, editor->subdivision);
        }
      json_builder_set_member_name (builder, "windows");
      json_builder_begin_object (builder);
      for (guint d = 0; d < 7; d++)
        {
          g_autofree char *window = tc_gui_format_time_window (rule.days[d].start, rule.days[d].end);

          json_builder_set_member_name (builder, day_keys[d]);
          json_builder_add_string_value (builder, window[0] != '\0' ? window : "closed");
        }
      json_builder_end_object (builder);
      if (note[0] != '\0')
        {
          json_builder_set_member_name (builder, "note");
          json_builder_add_string_value (builder, note);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static void
save_rules (TcCompliancePage *self)
{
  g_autofree char *message = NULL;
  g_autofree char *json = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *builtin = NULL;
  g_autoptr(TcQuietHours) parsed = NULL;
  g_autoptr(TcQuietHours) defaults = NULL;
  g_autoptr(GError) error = NULL;

  if (self->filling)
    return;

  json = rules_to_json (self, &message);
  if (json == NULL)
    {
      set_message (self->quiet_message, message, TRUE);
      unqueue (self, TC_SETTING_QUIET_HOURS_RULES);
      return;
    }

  /* Checked exactly as the gate will read it. */
  parsed = tc_quiet_hours_new_from_json (json, &error);
  if (parsed == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Not saved: %s"), error->message);

      set_message (self->quiet_message, text, TRUE);
      unqueue (self, TC_SETTING_QUIET_HOURS_RULES);
      return;
    }

  set_message (self->quiet_message, NULL, FALSE);

  /* The built-in rules are stored as no setting, so that a later
   * Textcast's better defaults reach this workspace. */
  defaults = tc_quiet_hours_new_default ();
  canonical = tc_quiet_hours_to_json (parsed);
  builtin = tc_quiet_hours_to_json (defaults);
  /* What is stored is the core's own compact form of what was checked. */
  store (self, TC_SETTING_QUIET_HOURS_RULES, g_strcmp0 (canonical, builtin) == 0 ? NULL : canonical);
}

static void
on_rule_changed_cb (GtkWidget        *row,
                    TcCompliancePage *self)
{
  RuleEditor *editor = g_object_get_data (G_OBJECT (row), "rule-editor");

  if (self->filling || editor == NULL)
    return;

  update_rule_subtitle (editor);
  save_rules (self);
}

static void remove_rule (TcCompliancePage *self,
                         RuleEditor       *editor);

static void
on_remove_rule_clicked_cb (GtkButton        *button,
                           TcCompliancePage *self)
{
  RuleEditor *editor = g_object_get_data (G_OBJECT (button), "rule-editor");

  g_assert (editor != NULL);
  remove_rule (self, editor);
}

/* The rows of a rule, made the first time it is opened: made for every
 * rule at once (eight entry rows each), they held the window for tens of
 * milliseconds whenever Preferences opened (tests/bench/RESULTS.md). */
static void
ensure_rule_rows (RuleEditor *editor)
{
  TcCompliancePage *self = editor->page;
  const TcQuietHoursRule *rule = &editor->loaded;
  gboolean was_filling = self->filling;

  if (editor->day_rows[0] != NULL || editor->row == NULL)
    return;

  self->filling = TRUE;

  for (guint d = 0; d < 7; d++)
    {
      g_autofree char *window = tc_gui_format_time_window (rule->days[d].start, rule->days[d].end);
      AdwEntryRow *day = ADW_ENTRY_ROW (adw_entry_row_new ());

      GtkWidget *closed = gtk_label_new (_("no messages"));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (day), tc_gui_weekday_name (d));
      gtk_editable_set_text (GTK_EDITABLE (day), window);
      gtk_widget_add_css_class (closed, "dim-label");
      gtk_widget_set_visible (closed, window[0] == '\0');
      adw_entry_row_add_suffix (day, closed);
      editor->closed_labels[d] = closed;
      g_object_set_data (G_OBJECT (day), "rule-editor", editor);
      g_signal_connect_object (day, "changed", G_CALLBACK (on_rule_changed_cb), self, 0);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (editor->row), GTK_WIDGET (day));
      editor->day_rows[d] = day;
    }

  editor->note_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->note_row), _("Note: the law or custom behind it"));
  gtk_editable_set_text (GTK_EDITABLE (editor->note_row), editor->note != NULL ? editor->note : "");
  g_object_set_data (G_OBJECT (editor->note_row), "rule-editor", editor);
  g_signal_connect_object (editor->note_row, "changed", G_CALLBACK (on_rule_changed_cb), self, 0);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (editor->row), GTK_WIDGET (editor->note_row));

  /* The default rule covers every place no other rule names: it stays. */
  if (rule->country[0] != '*')
    {
      GtkWidget *remove_row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_with_label (_("Remove Rule"));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (remove_row), _("Without this rule, the country’s or the default rule applies"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "destructive-action");
      g_object_set_data (G_OBJECT (button), "rule-editor", editor);
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_remove_rule_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (remove_row), button);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (editor->row), remove_row);
    }

  self->filling = was_filling;
}

static void
on_rule_expanded_cb (GtkWidget  *row,
                     GParamSpec *pspec,
                     RuleEditor *editor)
{
  if (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)))
    ensure_rule_rows (editor);
}

/* Opens a rule's editor with the focus on its first day. */
static void
open_rule (RuleEditor *editor)
{
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (editor->row), TRUE);
  ensure_rule_rows (editor);
  gtk_widget_grab_focus (GTK_WIDGET (editor->day_rows[0]));
}

static RuleEditor *
add_rule_editor (TcCompliancePage       *self,
                 const TcQuietHoursRule *rule)
{
  RuleEditor *editor = g_new0 (RuleEditor, 1);
  g_autofree char *title = NULL;

  memcpy (editor->country, rule->country, sizeof editor->country);
  memcpy (editor->subdivision, rule->subdivision, sizeof editor->subdivision);
  editor->page = self;
  editor->loaded = *rule;
  editor->loaded.note = NULL;
  editor->note = g_strdup (rule->note);

  title = rule_title (rule->country, rule->subdivision);
  editor->row = adw_expander_row_new ();
  g_object_add_weak_pointer (G_OBJECT (editor->row), (gpointer *) &editor->row);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (editor->row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->row), title);
  g_signal_connect (editor->row, "notify::expanded", G_CALLBACK (on_rule_expanded_cb), editor);

  update_rule_subtitle (editor);
  adw_preferences_group_add (self->quiet_group, editor->row);
  g_ptr_array_add (self->rules, editor);

  return editor;
}

static void
remove_rule (TcCompliancePage *self,
             RuleEditor       *editor)
{
  g_autofree char *title = rule_title (editor->country, editor->subdivision);
  g_autofree char *text = NULL;

  adw_preferences_group_remove (self->quiet_group, editor->row);
  g_ptr_array_remove (self->rules, editor);
  save_rules (self);
  flush (self);

  /* Translators: %s names a rule, “United States — FL” */
  text = g_strdup_printf (_("Removed the rule for %s"), title);
  toast (self, text);
}

static void
clear_rules (TcCompliancePage *self)
{
  for (guint i = 0; i < self->rules->len; i++)
    {
      RuleEditor *editor = g_ptr_array_index (self->rules, i);

      adw_preferences_group_remove (self->quiet_group, editor->row);
    }
  g_ptr_array_set_size (self->rules, 0);
}

static void
fill_rules (TcCompliancePage   *self,
            const TcQuietHours *quiet_hours)
{
  clear_rules (self);
  for (guint i = 0; i < tc_quiet_hours_get_n_rules (quiet_hours); i++)
    add_rule_editor (self, tc_quiet_hours_get_rule (quiet_hours, i));
}

static void
load_rules (TcCompliancePage *self)
{
  const char *json = setting (self, TC_SETTING_QUIET_HOURS_RULES);
  g_autoptr(TcQuietHours) quiet_hours = NULL;
  g_autoptr(GError) error = NULL;

  set_message (self->quiet_message, NULL, FALSE);
  if (json != NULL)
    {
      quiet_hours = tc_quiet_hours_new_from_json (json, &error);
      if (quiet_hours == NULL)
        {
          g_autofree char *text = NULL;

          /* Translators: %s says what is wrong with the stored rules */
          text = g_strdup_printf (_("The stored rules cannot be read (%s); the built-in rules are shown and apply until you change them."),
                                  error->message);
          set_message (self->quiet_message, text, TRUE);
        }
    }
  if (quiet_hours == NULL)
    quiet_hours = tc_quiet_hours_new_default ();

  fill_rules (self, quiet_hours);
}

static void
on_restore_clicked_cb (TcCompliancePage *self)
{
  g_autoptr(TcQuietHours) defaults = tc_quiet_hours_new_default ();

  self->filling = TRUE;
  fill_rules (self, defaults);
  self->filling = FALSE;
  set_message (self->quiet_message, NULL, FALSE);

  store (self, TC_SETTING_QUIET_HOURS_RULES, NULL);
  flush (self);
  toast (self, _("The built-in quiet-hour rules apply again"));
}

static RuleEditor *
find_rule (TcCompliancePage *self,
           const char       *country,
           const char       *subdivision)
{
  for (guint i = 0; i < self->rules->len; i++)
    {
      RuleEditor *editor = g_ptr_array_index (self->rules, i);

      if (g_ascii_strcasecmp (editor->country, country) == 0 &&
          g_ascii_strcasecmp (editor->subdivision, subdivision) == 0)
        return editor;
    }

  return NULL;
}

static gboolean
is_code (const char *text,
         gsize       min,
         gsize       max,
         gboolean    digits)
{
  gsize len = strlen (text);

  if (len < min || len > max)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalpha (text[i]) && !(digits && g_ascii_isdigit (text[i])))
      return FALSE;

  return TRUE;
}

static void
read_codes (AdwMessageDialog  *dialog,
            char             **country,
            char             **subdivision)
{
  GtkEditable *country_row = g_object_get_data (G_OBJECT (dialog), "country-row");
  GtkEditable *subdivision_row = g_object_get_data (G_OBJECT (dialog), "subdivision-row");

  *country = g_ascii_strup (g_strstrip (g_strdup (gtk_editable_get_text (country_row))), -1);
  *subdivision = g_ascii_strup (g_strstrip (g_strdup (gtk_editable_get_text (subdivision_row))), -1);
}

static void
on_add_rule_codes_changed_cb (AdwMessageDialog *dialog)
{
  g_autofree char *country = NULL;
  g_autofree char *subdivision = NULL;

  read_codes (dialog, &country, &subdivision);
  adw_message_dialog_set_response_enabled (dialog, "add",
                                           is_code (country, 2, 2, FALSE) &&
                                           (subdivision[0] == '\0' || is_code (subdivision, 1, 3, TRUE)));
}

static void
on_add_rule_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         TcCompliancePage *self)
{
  g_autofree char *country = NULL;
  g_autofree char *subdivision = NULL;
  g_autoptr(TcQuietHours) current = NULL;
  TcQuietHoursRule rule;
  RuleEditor *like;
  RuleEditor *editor;

  if (g_strcmp0 (response, "add") != 0)
    return;

  read_codes (dialog, &country, &subdivision);
  if (!is_code (country, 2, 2, FALSE) || (subdivision[0] != '\0' && !is_code (subdivision, 1, 3, TRUE)))
    return;

  editor = find_rule (self, country, subdivision);
  if (editor != NULL)
    {
      g_autofree char *title = rule_title (editor->country, editor->subdivision);
      g_autofree char *text = NULL;

      /* Translators: %s names a rule, “United States — FL” */
      text = g_strdup_printf (_("There is a rule for %s already: it is open for editing"), title);
      toast (self, text);
      open_rule (editor);
      return;
    }

  /* A new rule starts from the hours that apply there today: the
   * country's for a state, else the default. */
  like = subdivision[0] != '\0' ? find_rule (self, country, "") : NULL;
  if (like == NULL)
    like = find_rule (self, "*", "");
  memset (&rule, 0, sizeof rule);
  if (like == NULL || !read_rule (like, &rule, NULL))
    {
      for (guint d = 0; d < 7; d++)
        {
          rule.days[d].start = 8 * 60;
          rule.days[d].end = 21 * 60;
        }
    }
  g_strlcpy (rule.country, country, sizeof rule.country);
  g_strlcpy (rule.subdivision, subdivision, sizeof rule.subdivision);
  rule.note = NULL;

  editor = add_rule_editor (self, &rule);
  save_rules (self);
  flush (self);
  open_rule (editor);
}

static void
on_add_rule_clicked_cb (TcCompliancePage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;
  GtkWidget *list;
  GtkWidget *country_row;
  GtkWidget *subdivision_row;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Add a Quiet-Hour Rule"),
                                   _("For a country, or for one state or province of it. The new rule starts with the hours that apply there now."));
  gtk_window_set_title (GTK_WINDOW (dialog), _("Add a Quiet-Hour Rule"));

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");

  country_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (country_row), _("Country code (e.g. US)"));
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (country_row), TRUE);
  gtk_list_box_append (GTK_LIST_BOX (list), country_row);
  subdivision_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (subdivision_row), _("State or province (e.g. FL; optional)"));
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (subdivision_row), TRUE);
  gtk_list_box_append (GTK_LIST_BOX (list), subdivision_row);

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "add", _("_Add"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "add", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "add", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "add");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  g_object_set_data (G_OBJECT (dialog), "country-row", country_row);
  g_object_set_data (G_OBJECT (dialog), "subdivision-row", subdivision_row);
  g_signal_connect_swapped (country_row, "changed", G_CALLBACK (on_add_rule_codes_changed_cb), dialog);
  g_signal_connect_swapped (subdivision_row, "changed", G_CALLBACK (on_add_rule_codes_changed_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_add_rule_response_cb), self, 0);

  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (country_row);
}

/*
 * GObject
 */

static void
tc_compliance_page_dispose (GObject *object)
{
  TcCompliancePage *self = (TcCompliancePage *)object;

  /* The window flushes when it closes (tc_compliance_page_flush()). */
  g_clear_handle_id (&self->save_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TC_TYPE_COMPLIANCE_PAGE);
  g_clear_object (&self->repository);

  G_OBJECT_CLASS (tc_compliance_page_parent_class)->dispose (object);
}

static void
tc_compliance_page_finalize (GObject *object)
{
  TcCompliancePage *self = (TcCompliancePage *)object;

  g_clear_pointer (&self->settings, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->rules, g_ptr_array_unref);

  G_OBJECT_CLASS (tc_compliance_page_parent_class)->finalize (object);
}

static void
tc_compliance_page_class_init (TcCompliancePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tc_compliance_page_dispose;
  object_class->finalize = tc_compliance_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/textcast/Textcast/tc-compliance-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TcCompliancePage, quiet_group);
  gtk_widget_class_bind_template_child (widget_class, TcCompliancePage, quiet_message);
  gtk_widget_class_bind_template_child (widget_class, TcCompliancePage, cap_count_spin);
  gtk_widget_class_bind_template_child (widget_class, TcCompliancePage, cap_hours_spin);
  gtk_widget_class_bind_template_child (widget_class, TcCompliancePage, double_sms_switch);
  gtk_widget_class_bind_template_child (widget_class, TcCompliancePage, double_whatsapp_switch);
  gtk_widget_class_bind_template_child (widget_class, TcCompliancePage, confirm_hours_spin);
  gtk_widget_class_bind_template_child (widget_class, TcCompliancePage, language_row);
  gtk_widget_class_bind_template_child (widget_class, TcCompliancePage, optout_words_row);
  gtk_widget_class_bind_template_child (widget_class, TcCompliancePage, optin_words_row);
  gtk_widget_class_bind_template_child (widget_class, TcCompliancePage, help_words_row);
  gtk_widget_class_bind_template_child (widget_class, TcCompliancePage, optout_words_entry);
  gtk_widget_class_bind_template_child (widget_class, TcCompliancePage, optin_words_entry);
  gtk_widget_class_bind_template_child (widget_class, TcCompliancePage, help_words_entry);
  gtk_widget_class_bind_template_child (widget_class, TcCompliancePage, keywords_message);
  gtk_widget_class_bind_template_child (widget_class, TcCompliancePage, replies_group);
  gtk_widget_class_bind_template_child (widget_class, TcCompliancePage, program_row);
  gtk_widget_class_bind_template_child (widget_class, TcCompliancePage, frequency_row);
  gtk_widget_class_bind_template_child (widget_class, TcCompliancePage, support_row);
  gtk_widget_class_bind_template_callback (widget_class, on_restore_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_rule_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cap_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_confirm_hours_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_double_optin_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_language_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_words_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_help_changed_cb);
}

static void
tc_compliance_page_init (TcCompliancePage *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  self->settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) rule_editor_free);

  /* Nothing is stored while the template and the rows are set up. */
  self->filling = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      g_autofree char *name = NULL;

      /* Translators: a language and its code, "French (fr)" */
      name = g_strdup_printf (_("%s (%s)"), _(languages[i].name), languages[i].code);
      gtk_string_list_append (names, name);
    }
  /* The reply rows first: a new model selects a language, which fills them. */
  build_reply_rows (self);
  adw_combo_row_set_model (self->language_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->language_row, 0);
  self->filling = FALSE;
}

TcCompliancePage *
tc_compliance_page_new (TcRepository *repository)
{
  TcCompliancePage *self;

  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);

  self = g_object_new (TC_TYPE_COMPLIANCE_PAGE, NULL);
  self->repository = g_object_ref (repository);

  return self;
}

void
tc_compliance_page_fill (TcCompliancePage *self,
                         GHashTable       *settings)
{
  GHashTableIter iter;
  gpointer key;
  gpointer value;
  const char *text;

  g_return_if_fail (TC_IS_COMPLIANCE_PAGE (self));
  g_return_if_fail (settings != NULL);

  g_hash_table_remove_all (self->settings);
  g_hash_table_iter_init (&iter, settings);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (value != NULL)
      g_hash_table_insert (self->settings, g_strdup (key), g_strdup (value));

  self->filling = TRUE;

  gtk_spin_button_set_value (self->cap_count_spin,
                             (double) setting_uint (self, TC_SETTING_CAP_COUNT, 0, 100, DEFAULT_CAP_COUNT));
  gtk_spin_button_set_value (self->cap_hours_spin,
                             (double) setting_uint (self, TC_SETTING_CAP_HOURS, 1, 720, DEFAULT_CAP_HOURS));
  gtk_spin_button_set_value (self->confirm_hours_spin,
                             (double) setting_uint (self, TC_SETTING_CONFIRM_HOURS, 1, 720, DEFAULT_CONFIRM_HOURS));
  gtk_switch_set_active (self->double_sms_switch,
                         g_strcmp0 (setting (self, TC_SETTING_DOUBLE_OPTIN_PREFIX "sms"), "true") == 0);
  gtk_switch_set_active (self->double_whatsapp_switch,
                         g_strcmp0 (setting (self, TC_SETTING_DOUBLE_OPTIN_PREFIX "whatsapp"), "true") == 0);

  text = setting (self, TC_SETTING_HELP_PROGRAM);
  gtk_editable_set_text (GTK_EDITABLE (self->program_row), text != NULL ? text : "");
  text = setting (self, TC_SETTING_HELP_FREQUENCY);
  gtk_editable_set_text (GTK_EDITABLE (self->frequency_row), text != NULL ? text : "");
  text = setting (self, TC_SETTING_HELP_SUPPORT);
  gtk_editable_set_text (GTK_EDITABLE (self->support_row), text != NULL ? text : "");

  fill_language (self);
  load_rules (self);

  self->filling = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
}

void
tc_compliance_page_flush (TcCompliancePage *self)
{
  g_return_if_fail (TC_IS_COMPLIANCE_PAGE (self));

  gtk_spin_button_update (self->cap_count_spin);
  gtk_spin_button_update (self->cap_hours_spin);
  gtk_spin_button_update (self->confirm_hours_spin);
  flush (self);
}
