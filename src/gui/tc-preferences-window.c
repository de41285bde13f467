/* tc-preferences-window.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-preferences-window"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tc-autostart-row.h"
#include "tc-compliance-page.h"
#include "tc-editor-logic.h"
#include "tc-gui-util.h"
#include "tc-optout.h"
#include "tc-preferences-window.h"
#include "tc-prices-page.h"
#include "tc-providers-page.h"
#include "tc-repository.h"
#include "tc-senders-page.h"
#include "tc-settings.h"
#include "tc-sms.h"
#include "tc-toasts.h"

/* How long after the last keystroke a change is saved. */
#define SAVE_DELAY_MS 400

#define DEFAULT_HTTP_PORT 8642

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

#define N_LANGUAGES G_N_ELEMENTS (languages)

/* What changed and waits to be saved: one bit per field. */
enum {
  FIELD_BRAND,
  FIELD_DOMAIN,
  FIELD_PORT,
  FIELD_EVERY,
  FIELD_PUBLIC_URL,
  FIELD_OPTOUT_FIRST,
};

G_STATIC_ASSERT (FIELD_OPTOUT_FIRST + N_LANGUAGES <= 32);

struct _TcPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  AdwPreferencesPage   *messages_page;
  AdwEntryRow          *brand_row;
  GtkLabel             *brand_message;
  GtkSwitch            *every_switch;
  AdwExpanderRow       *optout_expander;
  GtkLabel             *optout_message;
  AdwEntryRow          *domain_row;
  AdwEntryRow          *public_url_row;
  GtkSpinButton        *port_spin;
  GtkLabel             *links_message;
  GtkWidget            *background_group;
  GtkWidget            *background_switch;
  GSettings            *settings;

  AdwEntryRow          *optout_rows[N_LANGUAGES];
  /* Quiet hours, caps, double opt-in, keywords and replies; and the
   * senders. Made once the repository is known. */
  TcCompliancePage     *compliance_page;
  TcSendersPage        *senders_page;
  TcProvidersPage      *providers_page;
  AdwPreferencesPage   *prices_page;
  GtkWidget            *reset_buttons[N_LANGUAGES];

  TcRepository         *repository;
  /* Cancels the load when the window goes; saves are never cancelled, so
   * that what was typed just before closing is kept. */
  GCancellable         *cancellable;
  guint                 dirty;
  guint                 save_source;
  /* The pages whose contents are still hidden (see defer_pages()), and
   * the idle that shows them one by one. */
  GPtrArray            *deferred;
  guint                 reveal_source;
  /* The idle that makes the four other pages (ensure_pages()); the
   * settings as read, for the Compliance page made after they came; the
   * sending problem for the Providers page. */
  guint                 pages_source;
  GHashTable           *loaded_settings;
  char                 *problem;

  guint                 filling : 1;
  guint                 closed : 1;
};

G_DEFINE_FINAL_TYPE (TcPreferencesWindow, tc_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_REPOSITORY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_CREDENTIALS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
toast (TcPreferencesWindow *self,
       const char          *text)
{
  AdwToast *news;

  if (self->closed)
    {
      g_warning ("%s", text);
      return;
    }

  news = adw_toast_new (text);
  adw_toast_set_timeout (news, 6);
  tc_preferences_window_add_toast (self, news);
}

/* Shows @text under a group (or in the list of languages): an error in
 * red, a note dimmed; NULL hides it. */
static void
set_message (GtkLabel   *label,
             const char *text,
             gboolean    error)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (label));

  /* A label in a list hides with its row. */
  if (GTK_IS_LIST_BOX_ROW (parent))
    gtk_widget_set_visible (parent, text != NULL);
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

static void
on_setting_saved_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(TcPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tc_settings_set_finish (TC_REPOSITORY (object), result, &error))
    {
      g_autofree char *reason = tc_gui_describe_error (error);
      g_autofree char *text = g_strdup_printf (_("Could not save the preferences: %s"), reason);

      toast (self, text);
    }
}

/* @value NULL goes back to the default. */
static void
store (TcPreferencesWindow *self,
       const char          *key,
       const char          *value)
{
  if (self->repository == NULL)
    return;

  tc_settings_set_async (self->repository, key, value, NULL,
                         on_setting_saved_cb, g_object_ref (self));
}

static void
save_brand (TcPreferencesWindow *self)
{
  g_autofree char *brand = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->brand_row))));
  TcSmsCount count;

  if (brand[0] != '\0' && tc_sms_count (brand, -1, &count) && count.encoding == TC_SMS_ENCODING_UCS2)
    set_message (self->brand_message,
                 _("This name has characters outside GSM-7: every SMS that uses {{brand}} holds 67 characters per segment instead of 153."),
                 FALSE);
  else
    set_message (self->brand_message, NULL, FALSE);

  store (self, TC_SETTING_BRAND_NAME, brand[0] != '\0' ? brand : NULL);
}

static void
save_domain (TcPreferencesWindow *self)
{
  g_autofree char *domain = NULL;
  g_autofree char *message = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->domain_row));

  if (!tc_editor_check_short_domain (text, &domain, &message))
    {
      set_message (self->links_message, message, TRUE);
      set_row_error (GTK_WIDGET (self->domain_row), TRUE);
      return;
    }

  set_row_error (GTK_WIDGET (self->domain_row), FALSE);
  set_message (self->links_message, message, FALSE);
  if (g_strcmp0 (domain, text) != 0)
    {
      /* What is stored is what the row shows. */
      self->filling = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->domain_row), domain);
      gtk_editable_set_position (GTK_EDITABLE (self->domain_row), -1);
      self->filling = FALSE;
    }

  store (self, TC_SETTING_SHORT_LINK_DOMAIN, domain[0] != '\0' ? domain : NULL);
}

static void
save_port (TcPreferencesWindow *self)
{
  g_autofree char *message = NULL;
  g_autofree char *value = NULL;
  double port = gtk_spin_button_get_value (self->port_spin);

  if (!tc_editor_check_port (port, &message))
    {
      set_message (self->links_message, message, TRUE);
      set_row_error (GTK_WIDGET (self->port_spin), TRUE);
      return;
    }

  set_row_error (GTK_WIDGET (self->port_spin), FALSE);
  if (!gtk_widget_has_css_class (GTK_WIDGET (self->domain_row), "error"))
    set_message (self->links_message, NULL, FALSE);
  value = g_strdup_printf ("%u", (guint) port);
  store (self, TC_SETTING_HTTP_PORT, (guint) port == DEFAULT_HTTP_PORT ? NULL : value);
}

/* The address providers call back (webhooks); the readiness check points
 * here when it is missing. */
static void
save_public_url (TcPreferencesWindow *self)
{
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->public_url_row))));
  g_autoptr(GError) error = NULL;

  while (g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';
  if (url[0] != '\0' && !tc_settings_check_value (TC_SETTING_HTTP_PUBLIC_URL, url, &error))
    {
      set_message (self->links_message,
                   _("The public URL must be an address such as https://shop.example/textcast "
                     "that leads to this computer’s Textcast. It was not saved."), TRUE);
      set_row_error (GTK_WIDGET (self->public_url_row), TRUE);
      return;
    }

  set_row_error (GTK_WIDGET (self->public_url_row), FALSE);
  if (!gtk_widget_has_css_class (GTK_WIDGET (self->domain_row), "error"))
    set_message (self->links_message, NULL, FALSE);
  store (self, TC_SETTING_HTTP_PUBLIC_URL, url[0] != '\0' ? url : NULL);
}

static void
save_every (TcPreferencesWindow *self)
{
  store (self, TC_SETTING_OPTOUT_EVERY_MESSAGE,
         gtk_switch_get_active (self->every_switch) ? NULL : "false");
}

static void
save_optout (TcPreferencesWindow *self,
             guint                i)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->optout_rows[i]))));
  g_autofree char *key = g_strconcat (TC_SETTING_OPTOUT_TEXT_PREFIX, languages[i].code, NULL);
  const char *builtin = tc_optout_default_text (languages[i].code);
  gboolean custom = text[0] != '\0' && g_strcmp0 (text, builtin) != 0;

  if (custom && !tc_optout_has_instruction (text))
    {
      g_autofree char *message = NULL;

      /* Translators: the first %s is a language ("French"), the second its
       * built-in instruction */
      message = g_strdup_printf (_("The %s text must say how to opt out, like “%s”. It was not saved."),
                                 _(languages[i].name), builtin);
      set_message (self->optout_message, message, TRUE);
      set_row_error (GTK_WIDGET (self->optout_rows[i]), TRUE);
      return;
    }

  set_row_error (GTK_WIDGET (self->optout_rows[i]), FALSE);
  if (text[0] == '\0')
    {
      g_autofree char *message = NULL;

      /* Translators: the first %s is a language ("French"), the second its
       * built-in instruction */
      message = g_strdup_printf (_("No %s text: the built-in “%s” is used."), _(languages[i].name), builtin);
      set_message (self->optout_message, message, FALSE);
    }
  else
    set_message (self->optout_message, NULL, FALSE);
  gtk_widget_set_visible (self->reset_buttons[i], custom);

  store (self, key, custom ? text : NULL);
}

static void
flush (TcPreferencesWindow *self)
{
  guint dirty = self->dirty;

  g_clear_handle_id (&self->save_source, g_source_remove);
  self->dirty = 0;

  if (dirty & (1u << FIELD_BRAND))
    save_brand (self);
  if (dirty & (1u << FIELD_DOMAIN))
    save_domain (self);
  if (dirty & (1u << FIELD_PORT))
    save_port (self);
  if (dirty & (1u << FIELD_EVERY))
    save_every (self);
  if (dirty & (1u << FIELD_PUBLIC_URL))
    save_public_url (self);
  for (guint i = 0; i < N_LANGUAGES; i++)
    if (dirty & (1u << (FIELD_OPTOUT_FIRST + i)))
      save_optout (self, i);
}

static gboolean
on_save_timeout_cb (gpointer user_data)
{
  TcPreferencesWindow *self = user_data;

  self->save_source = 0;
  flush (self);

  return G_SOURCE_REMOVE;
}

static void
mark_dirty (TcPreferencesWindow *self,
            guint                field)
{
  if (self->filling)
    return;

  self->dirty |= 1u << field;
  g_clear_handle_id (&self->save_source, g_source_remove);
  self->save_source = g_timeout_add (SAVE_DELAY_MS, on_save_timeout_cb, self);
}

static int
field_of (TcPreferencesWindow *self,
          GtkWidget           *widget)
{
  if (widget == GTK_WIDGET (self->brand_row))
    return FIELD_BRAND;
  if (widget == GTK_WIDGET (self->domain_row))
    return FIELD_DOMAIN;
  if (widget == GTK_WIDGET (self->port_spin))
    return FIELD_PORT;
  if (widget == GTK_WIDGET (self->public_url_row))
    return FIELD_PUBLIC_URL;
  for (guint i = 0; i < N_LANGUAGES; i++)
    if (widget == GTK_WIDGET (self->optout_rows[i]))
      return FIELD_OPTOUT_FIRST + (int) i;

  return -1;
}

static void
on_row_changed_cb (TcPreferencesWindow *self,
                   GtkWidget           *widget)
{
  int field = field_of (self, widget);

  if (field >= 0)
    mark_dirty (self, (guint) field);
}

/* Enter saves at once. */
static void
on_row_activated_cb (TcPreferencesWindow *self,
                     GtkWidget           *widget)
{
  on_row_changed_cb (self, widget);
  flush (self);
}

static void
on_every_switch_changed_cb (TcPreferencesWindow *self)
{
  mark_dirty (self, FIELD_EVERY);
  if (!self->filling)
    flush (self);
}

static void
on_reset_clicked_cb (TcPreferencesWindow *self,
                     GtkButton           *button)
{
  guint i = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "language-index"));

  g_assert (i < N_LANGUAGES);

  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->optout_rows[i]), tc_optout_default_text (languages[i].code));
  self->filling = FALSE;
  self->dirty |= 1u << (FIELD_OPTOUT_FIRST + i);
  flush (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->optout_rows[i]));
}

static void
fill (TcPreferencesWindow *self,
      GHashTable          *settings)
{
  const char *value;
  guint64 port = DEFAULT_HTTP_PORT;

  self->filling = TRUE;

  value = g_hash_table_lookup (settings, TC_SETTING_BRAND_NAME);
  gtk_editable_set_text (GTK_EDITABLE (self->brand_row), value != NULL ? value : "");

  value = g_hash_table_lookup (settings, TC_SETTING_SHORT_LINK_DOMAIN);
  gtk_editable_set_text (GTK_EDITABLE (self->domain_row), value != NULL ? value : "");

  value = g_hash_table_lookup (settings, TC_SETTING_HTTP_PUBLIC_URL);
  gtk_editable_set_text (GTK_EDITABLE (self->public_url_row), value != NULL ? value : "");

  value = g_hash_table_lookup (settings, TC_SETTING_HTTP_PORT);
  if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 1, 65535, &port, NULL))
    port = DEFAULT_HTTP_PORT;
  gtk_spin_button_set_value (self->port_spin, (double) port);

  gtk_switch_set_active (self->every_switch,
                         tc_editor_settings_get_boolean (settings, TC_SETTING_OPTOUT_EVERY_MESSAGE, TRUE));

  for (guint i = 0; i < N_LANGUAGES; i++)
    {
      g_autofree char *key = g_strconcat (TC_SETTING_OPTOUT_TEXT_PREFIX, languages[i].code, NULL);
      const char *builtin = tc_optout_default_text (languages[i].code);
      gboolean custom;

      value = g_hash_table_lookup (settings, key);
      custom = value != NULL && value[0] != '\0' && g_strcmp0 (value, builtin) != 0;
      gtk_editable_set_text (GTK_EDITABLE (self->optout_rows[i]), custom ? value : builtin);
      gtk_widget_set_visible (self->reset_buttons[i], custom);
    }

  self->filling = FALSE;
}

static void
on_settings_loaded_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(TcPreferencesWindow) self = user_data;
  g_autoptr(GHashTable) settings = NULL;
  g_autoptr(GError) error = NULL;

  settings = tc_settings_get_all_finish (TC_REPOSITORY (object), result, &error);
  if (settings == NULL)
    {
      g_autofree char *reason = NULL;
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      reason = tc_gui_describe_error (error);
      text = g_strdup_printf (_("Could not read the preferences: %s"), reason);
      toast (self, text);
      return;
    }

  fill (self, settings);
  gtk_widget_set_sensitive (GTK_WIDGET (self->messages_page), TRUE);
  g_clear_pointer (&self->loaded_settings, g_hash_table_unref);
  self->loaded_settings = g_hash_table_ref (settings);
  if (self->compliance_page != NULL)
    tc_compliance_page_fill (self->compliance_page, settings);
  gtk_widget_grab_focus (GTK_WIDGET (self->brand_row));
}

static void
build_optout_rows (TcPreferencesWindow *self)
{
  for (guint i = 0; i < N_LANGUAGES; i++)
    {
      g_autofree char *title = NULL;
      AdwEntryRow *row;
      GtkWidget *reset;

      /* Translators: a language and its code, "French (fr)" */
      title = g_strdup_printf (_("%s (%s)"), _(languages[i].name), languages[i].code);
      row = ADW_ENTRY_ROW (adw_entry_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      g_signal_connect_object (row, "changed", G_CALLBACK (on_row_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (row, "entry-activated", G_CALLBACK (on_row_activated_cb), self,
                               G_CONNECT_SWAPPED);

      reset = gtk_button_new_from_icon_name ("edit-undo-symbolic");
      gtk_widget_set_valign (reset, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (reset, _("Use the Built-In Text"));
      gtk_widget_add_css_class (reset, "flat");
      gtk_widget_set_visible (reset, FALSE);
      g_object_set_data (G_OBJECT (reset), "language-index", GUINT_TO_POINTER (i));
      g_signal_connect_object (reset, "clicked", G_CALLBACK (on_reset_clicked_cb), self, G_CONNECT_SWAPPED);
      adw_entry_row_add_suffix (row, reset);

      adw_expander_row_add_row (self->optout_expander, GTK_WIDGET (row));
      self->optout_rows[i] = row;
      self->reset_buttons[i] = reset;
    }
}

void
tc_preferences_window_add_toast (TcPreferencesWindow *self,
                                 AdwToast            *toast)
{
  g_return_if_fail (TC_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  tc_toasts_add (GTK_WIDGET (self), toast);
}

static gboolean
tc_preferences_window_close_request (GtkWindow *window)
{
  TcPreferencesWindow *self = TC_PREFERENCES_WINDOW (window);

  /* A port typed but not confirmed, and anything typed in the last
   * moment, is saved before the window goes. */
  gtk_spin_button_update (self->port_spin);
  flush (self);
  if (self->compliance_page != NULL)
    tc_compliance_page_flush (self->compliance_page);
  self->closed = TRUE;
  g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (tc_preferences_window_parent_class)->close_request (window);
}

/* Showing the window measures every page, and every row of every page
 * needs its style worked out first: together that held the main loop for
 * about 200 ms (tests/bench/RESULTS.md). So the groups of the pages not in
 * sight start hidden and are shown one per turn of the main loop once the
 * window is up (each costs part of a frame), or all at once when their page
 * is switched to. */
static void
collect_groups (GtkWidget *widget,
                GPtrArray *groups)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (ADW_IS_PREFERENCES_GROUP (child))
        {
          if (gtk_widget_get_visible (child))
            g_ptr_array_add (groups, g_object_ref (child));
        }
      else
        collect_groups (child, groups);
    }
}

static void
reveal_page (TcPreferencesWindow *self,
             AdwPreferencesPage  *page)
{
  if (self->deferred == NULL)
    return;

  for (guint i = self->deferred->len; i > 0; i--)
    {
      GtkWidget *group = g_ptr_array_index (self->deferred, i - 1);

      if (gtk_widget_is_ancestor (group, GTK_WIDGET (page)))
        {
          gtk_widget_set_visible (group, TRUE);
          g_ptr_array_remove_index (self->deferred, i - 1);
        }
    }
}

/* A group of many rows (Prices has one a row per country) costs as much
 * to show as all the others together: its rows after the first few are
 * hidden and shown ROWS_PER_TURN at a time, before the next group. A page
 * switched to shows them all at once (reveal_page()); a page's own filter
 * (the Prices search) only runs once its page is in sight, so it never
 * meets a row hidden here. */
#define ROWS_PER_TURN 8

/* The group's own list of rows: the first list box inside it. */
static GtkWidget *
find_list_box (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_LIST_BOX (child))
        return child;
      if ((found = find_list_box (child)) != NULL)
        return found;
    }

  return NULL;
}

static void
defer_rows (TcPreferencesWindow *self,
            GtkWidget           *group)
{
  GtkWidget *list = find_list_box (group);
  guint at = 0;
  guint n = 0;

  if (list == NULL)
    return;

  for (GtkWidget *row = gtk_widget_get_first_child (list);
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      if (!GTK_IS_LIST_BOX_ROW (row) || !gtk_widget_get_visible (row) || n++ < ROWS_PER_TURN)
        continue;
      gtk_widget_set_visible (row, FALSE);
      g_ptr_array_insert (self->deferred, at++, g_object_ref (row));
    }
}

static gboolean
on_reveal_next_cb (gpointer user_data)
{
  TcPreferencesWindow *self = user_data;

  if (self->deferred == NULL || self->deferred->len == 0)
    {
      self->reveal_source = 0;
      return G_SOURCE_REMOVE;
    }
  if (ADW_IS_PREFERENCES_GROUP (g_ptr_array_index (self->deferred, 0)))
    {
      g_autoptr(GtkWidget) group = g_object_ref (g_ptr_array_index (self->deferred, 0));

      g_ptr_array_remove_index (self->deferred, 0);
      defer_rows (self, group);
      gtk_widget_set_visible (group, TRUE);
    }
  else
    {
      /* Rows of a long group, a few at a time. */
      for (guint n = 0; n < ROWS_PER_TURN && self->deferred->len > 0 &&
                        GTK_IS_LIST_BOX_ROW (g_ptr_array_index (self->deferred, 0)); n++)
        {
          gtk_widget_set_visible (g_ptr_array_index (self->deferred, 0), TRUE);
          g_ptr_array_remove_index (self->deferred, 0);
        }
    }

  return G_SOURCE_CONTINUE;
}

static void
on_map_cb (TcPreferencesWindow *self)
{
  if (self->reveal_source == 0 && self->deferred != NULL && self->deferred->len > 0)
    {
      /* Below drawing, with time for a frame in between. */
      self->reveal_source = g_timeout_add_full (G_PRIORITY_LOW, 20, on_reveal_next_cb, self, NULL);
      g_source_set_name_by_id (self->reveal_source, "[textcast] preferences groups");
    }
}

static void
defer_page (TcPreferencesWindow *self,
            AdwPreferencesPage  *page)
{
  guint first = self->deferred->len;

  collect_groups (GTK_WIDGET (page), self->deferred);
  for (guint i = first; i < self->deferred->len; i++)
    gtk_widget_set_visible (g_ptr_array_index (self->deferred, i), FALSE);
}

static void
on_credentials_changed_cb (TcPreferencesWindow *self)
{
  g_signal_emit (self, signals[SIGNAL_CREDENTIALS_CHANGED], 0);
}

/* Making the four pages after Messages took three quarters of the time
 * to build the window (25-30 ms of 35-45): they are made once the window
 * has been drawn, in a turn of the main loop of their own, or at once when
 * something asks for one of them or a key is pressed. */
static void
ensure_pages (TcPreferencesWindow *self)
{
  if (self->repository == NULL || self->compliance_page != NULL || self->closed)
    return;

  g_clear_handle_id (&self->pages_source, g_source_remove);

  self->compliance_page = tc_compliance_page_new (self->repository);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (self->compliance_page));
  self->senders_page = tc_senders_page_new (self->repository);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (self->senders_page));
  self->providers_page = tc_providers_page_new (self->repository);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (self->providers_page));
  self->prices_page = ADW_PREFERENCES_PAGE (tc_prices_page_new (self->repository));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), self->prices_page);
  /* The names tc_preferences_window_show_page() takes. */
  adw_preferences_page_set_name (ADW_PREFERENCES_PAGE (self->compliance_page), "compliance");
  adw_preferences_page_set_name (ADW_PREFERENCES_PAGE (self->senders_page), "senders");
  adw_preferences_page_set_name (ADW_PREFERENCES_PAGE (self->providers_page), "providers");
  adw_preferences_page_set_name (self->prices_page, "prices");

  g_signal_connect_object (self->providers_page, "credentials-changed",
                           G_CALLBACK (on_credentials_changed_cb), self, G_CONNECT_SWAPPED);
  tc_providers_page_set_problem (self->providers_page, self->problem);
  if (self->loaded_settings != NULL)
    tc_compliance_page_fill (self->compliance_page, self->loaded_settings);

  defer_page (self, ADW_PREFERENCES_PAGE (self->compliance_page));
  defer_page (self, ADW_PREFERENCES_PAGE (self->senders_page));
  defer_page (self, ADW_PREFERENCES_PAGE (self->providers_page));
  defer_page (self, self->prices_page);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    on_map_cb (self);
  g_debug ("Made the other pages");
}

static gboolean
on_make_pages_cb (gpointer user_data)
{
  TcPreferencesWindow *self = user_data;

  self->pages_source = 0;
  ensure_pages (self);

  return G_SOURCE_REMOVE;
}

static gboolean
on_key_pressed_cb (TcPreferencesWindow *self)
{
  ensure_pages (self);

  return GDK_EVENT_PROPAGATE;
}

static void
tc_preferences_window_constructed (GObject *object)
{
  TcPreferencesWindow *self = (TcPreferencesWindow *)object;
  GtkEventController *keys;

  G_OBJECT_CLASS (tc_preferences_window_parent_class)->constructed (object);

  if (self->repository != NULL)
    {
      adw_preferences_page_set_name (self->messages_page, "messages");
      self->deferred = g_ptr_array_new_with_free_func (g_object_unref);
      g_signal_connect (self, "map", G_CALLBACK (on_map_cb), NULL);
      /* Once the window is drawn, after any input that came meanwhile... */
      self->pages_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, on_make_pages_cb, self, NULL);
      g_source_set_name_by_id (self->pages_source, "[textcast] preferences pages");
      /* ...but a key pressed before that (a page's mnemonic, such as
       * Alt+I for Prices) finds the pages made. */
      keys = gtk_event_controller_key_new ();
      gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
      g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (on_key_pressed_cb), self);
      gtk_widget_add_controller (GTK_WIDGET (self), keys);
    }

  if (self->repository != NULL)
    tc_settings_get_all_async (self->repository, "", self->cancellable,
                               on_settings_loaded_cb, g_object_ref (self));
}

static void
tc_preferences_window_dispose (GObject *object)
{
  TcPreferencesWindow *self = (TcPreferencesWindow *)object;

  self->closed = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->save_source, g_source_remove);
  g_clear_handle_id (&self->reveal_source, g_source_remove);
  g_clear_handle_id (&self->pages_source, g_source_remove);
  g_clear_pointer (&self->deferred, g_ptr_array_unref);
  g_clear_pointer (&self->loaded_settings, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TC_TYPE_PREFERENCES_WINDOW);
  self->compliance_page = NULL;
  self->senders_page = NULL;
  self->providers_page = NULL;
  self->prices_page = NULL;
  g_clear_object (&self->repository);

  G_OBJECT_CLASS (tc_preferences_window_parent_class)->dispose (object);
}

static void
tc_preferences_window_finalize (GObject *object)
{
  TcPreferencesWindow *self = (TcPreferencesWindow *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_free (self->problem);

  G_OBJECT_CLASS (tc_preferences_window_parent_class)->finalize (object);
}

static void
tc_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TcPreferencesWindow *self = TC_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_REPOSITORY:
      g_value_set_object (value, self->repository);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  TcPreferencesWindow *self = TC_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_REPOSITORY:
      g_set_object (&self->repository, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_preferences_window_class_init (TcPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = tc_preferences_window_constructed;
  object_class->dispose = tc_preferences_window_dispose;
  object_class->finalize = tc_preferences_window_finalize;
  object_class->get_property = tc_preferences_window_get_property;
  object_class->set_property = tc_preferences_window_set_property;

  window_class->close_request = tc_preferences_window_close_request;

  properties[PROP_REPOSITORY] =
    g_param_spec_object ("repository", NULL, NULL,
                         TC_TYPE_REPOSITORY,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The Providers page's, once made. */
  signals[SIGNAL_CREDENTIALS_CHANGED] =
    g_signal_new ("credentials-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/textcast/Textcast/tc-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TcPreferencesWindow, messages_page);
  gtk_widget_class_bind_template_child (widget_class, TcPreferencesWindow, brand_row);
  gtk_widget_class_bind_template_child (widget_class, TcPreferencesWindow, brand_message);
  gtk_widget_class_bind_template_child (widget_class, TcPreferencesWindow, every_switch);
  gtk_widget_class_bind_template_child (widget_class, TcPreferencesWindow, optout_expander);
  gtk_widget_class_bind_template_child (widget_class, TcPreferencesWindow, optout_message);
  gtk_widget_class_bind_template_child (widget_class, TcPreferencesWindow, domain_row);
  gtk_widget_class_bind_template_child (widget_class, TcPreferencesWindow, public_url_row);
  gtk_widget_class_bind_template_child (widget_class, TcPreferencesWindow, port_spin);
  gtk_widget_class_bind_template_child (widget_class, TcPreferencesWindow, links_message);
  gtk_widget_class_bind_template_child (widget_class, TcPreferencesWindow, background_group);
  gtk_widget_class_bind_template_child (widget_class, TcPreferencesWindow, background_switch);
  gtk_widget_class_bind_template_callback (widget_class, on_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_every_switch_changed_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

/* Said in the debug log, so the GUI tests know a page switch took. */
static void
on_visible_page_changed_cb (TcPreferencesWindow *self)
{
  AdwPreferencesPage *page = adw_preferences_window_get_visible_page (ADW_PREFERENCES_WINDOW (self));

  g_autoptr(GString) title = NULL;

  if (page == NULL)
    return;
  reveal_page (self, page);
  /* The title without its mnemonic underline. */
  title = g_string_new (adw_preferences_page_get_title (page));
  g_string_replace (title, "_", "", 0);
  g_debug ("Showing the %s page", title->str);
}

static void
tc_preferences_window_init (TcPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  build_optout_rows (self);

  /* The desktop's own preference (GSettings), not the workspace's. */
  {
    GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
    g_autoptr(GSettingsSchema) schema = source != NULL
                                        ? g_settings_schema_source_lookup (source, "io.github.textcast.Textcast", TRUE)
                                        : NULL;

    if (schema != NULL && g_settings_schema_has_key (schema, "run-in-background"))
      {
        self->settings = g_settings_new_full (schema, NULL, NULL);
        g_settings_bind (self->settings, "run-in-background", self->background_switch, "active",
                         G_SETTINGS_BIND_DEFAULT);
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->background_group),
                                   tc_autostart_row_new (self->settings));
      }
    else
      gtk_widget_set_visible (self->background_group, FALSE);
  }
  g_signal_connect (self, "notify::visible-page", G_CALLBACK (on_visible_page_changed_cb), NULL);
}

TcPreferencesWindow *
tc_preferences_window_new (GtkWindow    *parent,
                           TcRepository *repository)
{
  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);

  return g_object_new (TC_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "repository", repository,
                       NULL);
}

TcProvidersPage *
tc_preferences_window_get_providers_page (TcPreferencesWindow *self)
{
  g_return_val_if_fail (TC_IS_PREFERENCES_WINDOW (self), NULL);

  ensure_pages (self);

  return self->providers_page;
}

void
tc_preferences_window_set_problem (TcPreferencesWindow *self,
                                   const char          *text)
{
  g_return_if_fail (TC_IS_PREFERENCES_WINDOW (self));

  g_free (self->problem);
  self->problem = g_strdup (text);
  if (self->providers_page != NULL)
    tc_providers_page_set_problem (self->providers_page, text);
}

void
tc_preferences_window_show_page (TcPreferencesWindow *self,
                                 const char          *name)
{
  g_return_if_fail (TC_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (name != NULL);

  if (self->repository == NULL)
    return;

  ensure_pages (self);
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (self), name);
}
