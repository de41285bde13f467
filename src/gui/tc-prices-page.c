/* tc-prices-page.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-prices-page"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "tc-gui-util.h"
#include "tc-phone.h"
#include "tc-prices-page.h"
#include "tc-prices.h"
#include "tc-repository.h"
#include "tc-settings.h"
#include "tc-preferences-window.h"

/* The prices of one country, in the order they are shown. */
static const struct {
  TcChannel        channel;
  TcPriceCategory  category;
  const char      *title;
} kinds[] = {
  { TC_CHANNEL_SMS, TC_PRICE_CATEGORY_NONE, N_("SMS, per segment") },
  { TC_CHANNEL_WHATSAPP, TC_PRICE_CATEGORY_MARKETING, N_("WhatsApp marketing") },
  { TC_CHANNEL_WHATSAPP, TC_PRICE_CATEGORY_UTILITY, N_("WhatsApp utility") },
  { TC_CHANNEL_WHATSAPP, TC_PRICE_CATEGORY_AUTHENTICATION, N_("WhatsApp authentication") },
  { TC_CHANNEL_WHATSAPP, TC_PRICE_CATEGORY_SERVICE,
    N_("WhatsApp service (replies within 24 hours)") },
};

#define N_KINDS G_N_ELEMENTS (kinds)

typedef struct _CountryRows CountryRows;

/* One editable price. */
typedef struct
{
  TcPricesPage *page;
  CountryRows  *country;
  guint         kind;      /* index into kinds[] */
  AdwEntryRow  *row;
  GtkWidget    *reset;
  gboolean      dirty;     /* typed into since it was last filled */
} PriceRow;

struct _CountryRows
{
  char            code[4];      /* "US", or "*" */
  AdwExpanderRow *expander;     /* NULL for "*": its rows are in their own group */
  char           *name;         /* casefolded name and code, for the search */
  PriceRow        prices[N_KINDS];
};

struct _TcPricesPage
{
  AdwPreferencesPage   parent_instance;

  AdwPreferencesGroup *about_group;
  AdwActionRow        *custom_row;
  GtkWidget           *reset_all_button;
  AdwPreferencesGroup *countries_group;
  AdwEntryRow         *search_row;
  AdwActionRow        *no_match_row;
  AdwEntryRow         *add_row;
  AdwPreferencesGroup *other_group;

  TcRepository        *repository;
  GCancellable        *cancellable;
  TcPrices            *prices;
  GPtrArray           *countries;   /* CountryRows, by name */
  CountryRows         *other;       /* "*" */
  GHashTable          *added;       /* codes added here that have no price yet */
  guint                n_saving;
  gulong               changed_id;

  guint                filling : 1;
};

G_DEFINE_FINAL_TYPE (TcPricesPage, tc_prices_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_REPOSITORY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reload         (TcPricesPage *self);
static void sync_countries (TcPricesPage *self);

/* Says @text in a toast of the preferences window (NULL: nothing to
 * say): the page is long, a line under it would be out of sight. */
static void
tell (TcPricesPage *self,
      const char   *text,
      gboolean      error)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), TC_TYPE_PREFERENCES_WINDOW);
  AdwToast *toast;

  if (text == NULL || window == NULL)
    return;

  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, error ? 8 : 4);
  tc_preferences_window_add_toast (TC_PREFERENCES_WINDOW (window), toast);
}

/* "1 November 2026 (23 days old)" */
static char *
describe_defaults_age (void)
{
  g_auto(GStrv) parts = g_strsplit (tc_prices_defaults_as_of (), "-", 3);
  g_autoptr(GDateTime) as_of = g_date_time_new_utc (atoi (parts[0]), atoi (parts[1]),
                                                    atoi (parts[2]), 0, 0, 0);
  g_autofree char *date = g_date_time_format (as_of, "%-d %B %Y");
  int age = tc_prices_defaults_age_days (NULL);

  return g_strdup_printf (ngettext ("%s (%d day old)", "%s (%d days old)", age), date, age);
}

/* ------------------------------------------------------------------------
 * Showing the table
 */

static gboolean
row_is_own (PriceRow           *price,
            const TcPriceEntry *entry)
{
  return entry != NULL && entry->custom && strcmp (entry->country, price->country->code) == 0;
}

static void
fill_price (TcPricesPage *self,
            PriceRow     *price)
{
  const TcPriceEntry *entry = NULL;
  g_autofree char *text = NULL;
  double value = 0.0;

  /* A country's rows are made when it is first opened (make_country()). */
  if (price->row == NULL)
    return;

  tc_prices_lookup (self->prices, price->country->code, kinds[price->kind].channel,
                    kinds[price->kind].category, &value, &entry);
  gtk_widget_set_visible (price->reset, row_is_own (price, entry));

  /* What someone is typing stays until they save it. */
  if (price->dirty)
    return;

  /* Turning the ✓ button off and on again tells the row that its text
   * is the stored one, so that the button only shows after typing. */
  text = tc_prices_format_number (value);
  self->filling = TRUE;
  adw_entry_row_set_show_apply_button (price->row, FALSE);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (price->row)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (price->row), text);
  adw_entry_row_set_show_apply_button (price->row, TRUE);
  self->filling = FALSE;
  gtk_widget_remove_css_class (GTK_WIDGET (price->row), "error");
}

static void
fill_country (TcPricesPage *self,
              CountryRows  *country)
{
  g_autofree char *sms = NULL;
  g_autofree char *marketing = NULL;
  g_autofree char *subtitle = NULL;
  const TcPriceEntry *entry = NULL;
  gboolean own = FALSE;
  double value;

  for (guint i = 0; i < N_KINDS; i++)
    {
      fill_price (self, &country->prices[i]);
      tc_prices_lookup (self->prices, country->code, kinds[i].channel, kinds[i].category, &value,
                        &entry);
      own = own || row_is_own (&country->prices[i], entry);
    }

  if (country->expander == NULL)
    return;

  tc_prices_lookup (self->prices, country->code, TC_CHANNEL_SMS, TC_PRICE_CATEGORY_NONE, &value,
                    NULL);
  sms = tc_prices_format_number (value);
  tc_prices_lookup (self->prices, country->code, TC_CHANNEL_WHATSAPP,
                    TC_PRICE_CATEGORY_MARKETING, &value, NULL);
  marketing = tc_prices_format_number (value);
  if (own)
    /* Translators: the prices of a country in a list; the numbers are US dollars. */
    subtitle = g_strdup_printf (_("%s · SMS %s · WhatsApp marketing %s · your prices"),
                                country->code, sms, marketing);
  else
    subtitle = g_strdup_printf (_("%s · SMS %s · WhatsApp marketing %s"),
                                country->code, sms, marketing);
  adw_expander_row_set_subtitle (country->expander, subtitle);
}

static void
fill_summary (TcPricesPage *self)
{
  guint n_custom = 0;
  g_autofree char *subtitle = NULL;

  for (guint i = 0; i < tc_prices_get_n_entries (self->prices); i++)
    if (tc_prices_get_entry (self->prices, i)->custom)
      n_custom++;

  if (n_custom == 0)
    subtitle = g_strdup (_("None: the defaults apply everywhere"));
  else
    subtitle = g_strdup_printf (ngettext ("%u price of your own; the defaults apply to the rest",
                                          "%u prices of your own; the defaults apply to the rest",
                                          n_custom), n_custom);
  adw_action_row_set_subtitle (self->custom_row, subtitle);
  gtk_widget_set_sensitive (self->reset_all_button, n_custom > 0);
}

/* ------------------------------------------------------------------------
 * Saving
 */

static void
on_saved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TcPricesPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tc_settings_set_finish (TC_REPOSITORY (object), result, &error))
    {
      g_autofree char *reason = tc_gui_describe_error (error);
      g_autofree char *text = g_strdup_printf (_("Could not save the prices: %s"), reason);

      tell (self, text, TRUE);
    }

  /* Read back once the last change is stored: until then a reload would
   * show a table without the changes still queued. */
  g_assert (self->n_saving > 0);
  if (--self->n_saving == 0 && self->repository != NULL)
    reload (self);
}

static void
save (TcPricesPage *self)
{
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;

  if (self->repository == NULL)
    return;

  /* No price of one's own: the setting goes, and the defaults apply. */
  if (tc_prices_has_custom (self->prices))
    json = tc_prices_to_json (self->prices);
  if (!tc_settings_check_value (TC_SETTING_PRICES, json, &error))
    {
      tell (self, error->message, TRUE);
      return;
    }

  self->n_saving++;
  tc_settings_set_async (self->repository, TC_SETTING_PRICES, json, NULL, on_saved_cb,
                         g_object_ref (self));
}

/* "0.0079", "0,0079", "$0.0079", " 0.0079 USD": the number, or FALSE. */
static gboolean
parse_price (const char *text,
             double     *price)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  char *start = copy;
  char *end = NULL;
  gsize length;

  if (g_str_has_prefix (start, "$"))
    start++;
  length = strlen (start);
  if (length > 3 && g_ascii_strcasecmp (start + length - 3, "USD") == 0)
    start[length - 3] = '\0';
  g_strstrip (start);
  if (strchr (start, '.') == NULL)
    g_strdelimit (start, ",", '.');
  if (start[0] == '\0' || !(g_ascii_isdigit (start[0]) || start[0] == '.'))
    return FALSE;

  *price = g_ascii_strtod (start, &end);

  return end != NULL && *end == '\0';
}

static void
apply_price (PriceRow *price)
{
  TcPricesPage *self = price->page;
  const char *code = price->country->code;
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (price->row))));
  g_autoptr(GError) error = NULL;
  double value;

  if (self->prices == NULL)
    return;

  if (text[0] == '\0')
    {
      /* Empty: back to the default. */
      price->dirty = FALSE;
      if (tc_prices_unset_custom (self->prices, code, kinds[price->kind].channel,
                                  kinds[price->kind].category))
        save (self);
      fill_country (self, price->country);
      fill_summary (self);
      return;
    }

  if (!parse_price (text, &value))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not a price: type a number such "
                                                    "as 0.0079"), text);

      gtk_widget_add_css_class (GTK_WIDGET (price->row), "error");
      tell (self, message, TRUE);
      return;
    }

  if (!tc_prices_set_custom (self->prices, code, kinds[price->kind].channel,
                             kinds[price->kind].category, value, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (price->row), "error");
      tell (self, error->message, TRUE);
      return;
    }

  price->dirty = FALSE;
  g_hash_table_remove (self->added, code);
  fill_country (self, price->country);
  fill_summary (self);
  save (self);
}

static void
on_price_apply_cb (AdwEntryRow *row,
                   PriceRow    *price)
{
  apply_price (price);
}

static void
on_price_activated_cb (AdwEntryRow *row,
                       PriceRow    *price)
{
  /* Enter saves what was typed (the ✓ button does the same). */
  if (price->dirty)
    apply_price (price);
}

static void
on_price_changed_cb (GtkEditable *editable,
                     PriceRow    *price)
{
  if (price->page->filling)
    return;

  price->dirty = TRUE;
  gtk_widget_remove_css_class (GTK_WIDGET (price->row), "error");
}

static void
on_price_reset_clicked_cb (GtkButton *button,
                           PriceRow  *price)
{
  TcPricesPage *self = price->page;

  price->dirty = FALSE;
  if (tc_prices_unset_custom (self->prices, price->country->code, kinds[price->kind].channel,
                              kinds[price->kind].category))
    save (self);
  fill_country (self, price->country);
  fill_summary (self);
}

/* Shows @prices (taking it) in every row, as the table from now on. */
static void
replace_prices (TcPricesPage *self,
                TcPrices     *prices)
{
  g_clear_pointer (&self->prices, tc_prices_unref);
  self->prices = prices;
  for (guint i = 0; i < self->countries->len; i++)
    {
      CountryRows *country = g_ptr_array_index (self->countries, i);

      for (guint k = 0; k < N_KINDS; k++)
        country->prices[k].dirty = FALSE;
    }
  for (guint k = 0; k < N_KINDS; k++)
    self->other->prices[k].dirty = FALSE;
  sync_countries (self);
}

static void
on_undo_reset_cb (AdwToast     *toast,
                  TcPricesPage *self)
{
  TcPrices *previous = g_object_steal_data (G_OBJECT (toast), "tc-prices");

  if (previous == NULL || self->repository == NULL)
    return;

  replace_prices (self, previous);
  save (self);
}

static void
on_reset_all_clicked_cb (TcPricesPage *self)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), TC_TYPE_PREFERENCES_WINDOW);
  TcPrices *previous;

  if (self->prices == NULL)
    return;

  previous = tc_prices_ref (self->prices);
  replace_prices (self, tc_prices_new ());
  save (self);

  /* Removing every price of one's own in one click deserves a way back. */
  if (window != NULL)
    {
      AdwToast *toast = adw_toast_new (_("Your prices were removed"));

      adw_toast_set_button_label (toast, _("_Undo"));
      adw_toast_set_timeout (toast, 10);
      g_object_set_data_full (G_OBJECT (toast), "tc-prices", previous,
                              (GDestroyNotify) tc_prices_unref);
      g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_reset_cb), self, 0);
      tc_preferences_window_add_toast (TC_PREFERENCES_WINDOW (window), toast);
    }
  else
    tc_prices_unref (previous);
}

/* ------------------------------------------------------------------------
 * Building the rows
 */

static void
country_rows_free (CountryRows *country)
{
  for (guint i = 0; i < N_KINDS; i++)
    {
      PriceRow *price = &country->prices[i];

      if (price->row != NULL)
        g_signal_handlers_disconnect_by_data (price->row, price);
      if (price->reset != NULL)
        g_signal_handlers_disconnect_by_data (price->reset, price);
    }
  if (country->expander != NULL)
    g_signal_handlers_disconnect_by_data (country->expander, country);
  g_free (country->name);
  g_free (country);
}

static void
make_price_rows (TcPricesPage *self,
                 CountryRows  *country)
{
  for (guint i = 0; i < N_KINDS; i++)
    {
      PriceRow *price = &country->prices[i];
      g_autofree char *tooltip = NULL;

      price->page = self;
      price->country = country;
      price->kind = i;
      price->row = ADW_ENTRY_ROW (adw_entry_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (price->row), _(kinds[i].title));
      adw_entry_row_set_show_apply_button (price->row, TRUE);
      adw_entry_row_set_input_purpose (price->row, GTK_INPUT_PURPOSE_NUMBER);

      price->reset = gtk_button_new_from_icon_name ("edit-undo-symbolic");
      gtk_widget_set_valign (price->reset, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (price->reset, "flat");
      gtk_widget_set_tooltip_text (price->reset, _("Back to the default price"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (price->reset),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Back to the default price"), -1);
      gtk_widget_set_visible (price->reset, FALSE);
      adw_entry_row_add_suffix (price->row, price->reset);

      g_signal_connect (price->row, "apply", G_CALLBACK (on_price_apply_cb), price);
      g_signal_connect (price->row, "entry-activated", G_CALLBACK (on_price_activated_cb), price);
      g_signal_connect (price->row, "changed", G_CALLBACK (on_price_changed_cb), price);
      g_signal_connect (price->reset, "clicked", G_CALLBACK (on_price_reset_clicked_cb), price);
    }
}

/* A country's five entry rows are made the first time it is opened: made
 * for all forty-odd countries at once, they held the window for a tenth of
 * a second every time Preferences opened (tests/bench/RESULTS.md). */
static void
ensure_price_rows (CountryRows *country)
{
  TcPricesPage *self;

  if (country->prices[0].row != NULL || !adw_expander_row_get_expanded (country->expander))
    return;

  self = g_object_get_data (G_OBJECT (country->expander), "tc-prices-page");
  make_price_rows (self, country);
  for (guint i = 0; i < N_KINDS; i++)
    adw_expander_row_add_row (country->expander, GTK_WIDGET (country->prices[i].row));
  if (self->prices != NULL)
    for (guint i = 0; i < N_KINDS; i++)
      fill_price (self, &country->prices[i]);
}

static void
on_expanded_changed_cb (AdwExpanderRow *expander,
                        GParamSpec     *pspec,
                        CountryRows    *country)
{
  ensure_price_rows (country);
}

static CountryRows *
make_country (TcPricesPage *self,
              const char   *code)
{
  CountryRows *country = g_new0 (CountryRows, 1);
  const char *name = tc_gui_country_name (code);
  g_autofree char *both = g_strdup_printf ("%s %s", name, code);

  g_strlcpy (country->code, code, sizeof country->code);
  country->name = g_utf8_casefold (both, -1);
  country->expander = ADW_EXPANDER_ROW (adw_expander_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (country->expander), name);
  /* The page outlives its rows: they are its children. */
  g_object_set_data (G_OBJECT (country->expander), "tc-prices-page", self);
  g_signal_connect (country->expander, "notify::expanded", G_CALLBACK (on_expanded_changed_cb),
                    country);

  return country;
}

static int
compare_countries (gconstpointer a,
                   gconstpointer b)
{
  const CountryRows *x = *(CountryRows * const *) a;
  const CountryRows *y = *(CountryRows * const *) b;

  return g_utf8_collate (tc_gui_country_name (x->code), tc_gui_country_name (y->code));
}

static CountryRows *
find_country (TcPricesPage *self,
              const char   *code)
{
  for (guint i = 0; i < self->countries->len; i++)
    {
      CountryRows *country = g_ptr_array_index (self->countries, i);

      if (strcmp (country->code, code) == 0)
        return country;
    }

  return NULL;
}

static void
apply_search (TcPricesPage *self)
{
  g_autofree char *text = NULL;
  g_autofree char *needle = NULL;
  guint n_visible = 0;

  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_row))));
  needle = g_utf8_casefold (text, -1);

  for (guint i = 0; i < self->countries->len; i++)
    {
      CountryRows *country = g_ptr_array_index (self->countries, i);
      gboolean visible = needle[0] == '\0' || strstr (country->name, needle) != NULL;

      gtk_widget_set_visible (GTK_WIDGET (country->expander), visible);
      n_visible += visible;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->no_match_row), n_visible == 0);
}

/* The rows follow the table: a country for every code with a price of its
 * own (default or custom) and every code added here, sorted by name.
 * Rows that already exist keep their state (expanded, being typed in). */
static void
sync_countries (TcPricesPage *self)
{
  g_autoptr(GHashTable) codes = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key;
  gboolean changed = FALSE;

  for (guint i = 0; i < tc_prices_get_n_entries (self->prices); i++)
    {
      const TcPriceEntry *entry = tc_prices_get_entry (self->prices, i);

      if (strcmp (entry->country, TC_PRICES_ANY_COUNTRY) != 0)
        g_hash_table_add (codes, (gpointer) entry->country);
    }
  g_hash_table_iter_init (&iter, self->added);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (codes, key);

  /* Gone: a country whose only prices were custom ones, now removed. The
   * rows are let go of (their handlers disconnected) before the widget. */
  for (guint i = self->countries->len; i > 0; i--)
    {
      CountryRows *country = g_ptr_array_index (self->countries, i - 1);

      if (!g_hash_table_contains (codes, country->code))
        {
          GtkWidget *expander = GTK_WIDGET (country->expander);

          g_ptr_array_remove_index (self->countries, i - 1);
          adw_preferences_group_remove (self->countries_group, expander);
        }
    }

  g_hash_table_iter_init (&iter, codes);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (find_country (self, key) == NULL)
      {
        g_ptr_array_add (self->countries, make_country (self, key));
        changed = TRUE;
      }

  if (changed)
    {
      g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
      GtkWidget *after[] = { GTK_WIDGET (self->no_match_row), GTK_WIDGET (self->add_row) };

      /* A group only appends: take the rows out and put them back sorted,
       * between the search field and the field that adds a country. */
      g_ptr_array_sort (self->countries, compare_countries);
      for (guint i = 0; i < self->countries->len; i++)
        {
          CountryRows *country = g_ptr_array_index (self->countries, i);

          if (gtk_widget_get_parent (GTK_WIDGET (country->expander)) != NULL)
            {
              g_ptr_array_add (held, g_object_ref (country->expander));
              adw_preferences_group_remove (self->countries_group,
                                            GTK_WIDGET (country->expander));
            }
        }
      for (guint i = 0; i < G_N_ELEMENTS (after); i++)
        {
          g_ptr_array_add (held, g_object_ref (after[i]));
          adw_preferences_group_remove (self->countries_group, after[i]);
        }
      for (guint i = 0; i < self->countries->len; i++)
        {
          CountryRows *country = g_ptr_array_index (self->countries, i);

          adw_preferences_group_add (self->countries_group, GTK_WIDGET (country->expander));
        }
      for (guint i = 0; i < G_N_ELEMENTS (after); i++)
        adw_preferences_group_add (self->countries_group, after[i]);
    }

  for (guint i = 0; i < self->countries->len; i++)
    fill_country (self, g_ptr_array_index (self->countries, i));
  fill_country (self, self->other);
  fill_summary (self);
  apply_search (self);
}

/* ------------------------------------------------------------------------
 * Loading
 */

static void
on_loaded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TcPricesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  TcPrices *prices;

  prices = tc_prices_load_finish (TC_REPOSITORY (object), result, &error);
  if (prices == NULL)
    {
      g_autofree char *reason = NULL;
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      reason = tc_gui_describe_error (error);
      text = g_strdup_printf (_("Could not read the prices: %s"), reason);
      tell (self, text, TRUE);
      return;
    }

  /* A change made meanwhile is still being saved: its own reload follows. */
  if (self->n_saving > 0)
    {
      tc_prices_unref (prices);
      return;
    }

  g_clear_pointer (&self->prices, tc_prices_unref);
  self->prices = prices;
  gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
  sync_countries (self);
}

static void
reload (TcPricesPage *self)
{
  tc_prices_load_async (self->repository, self->cancellable, on_loaded_cb, g_object_ref (self));
}

static void
on_settings_changed_cb (TcRepository *repository,
                        const char   *key,
                        TcPricesPage *self)
{
  if (self->n_saving == 0)
    reload (self);
}

/* ------------------------------------------------------------------------
 * Search and new countries
 */

static void
on_search_changed_cb (TcPricesPage *self)
{
  apply_search (self);
}

static void
open_country (CountryRows *country)
{
  adw_expander_row_set_expanded (country->expander, TRUE);
  ensure_price_rows (country);
  gtk_widget_grab_focus (GTK_WIDGET (country->prices[0].row));
}

/* Enter in the search field opens the country whose code was typed
 * ("us"), else the first country that matches. */
static void
on_search_activated_cb (TcPricesPage *self)
{
  g_autofree char *text = NULL;

  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_row))));

  for (guint i = 0; i < self->countries->len; i++)
    {
      CountryRows *country = g_ptr_array_index (self->countries, i);

      if (g_ascii_strcasecmp (country->code, text) == 0)
        {
          open_country (country);
          return;
        }
    }

  for (guint i = 0; i < self->countries->len; i++)
    {
      CountryRows *country = g_ptr_array_index (self->countries, i);

      if (gtk_widget_get_visible (GTK_WIDGET (country->expander)))
        {
          open_country (country);
          return;
        }
    }
}

static void
on_add_apply_cb (TcPricesPage *self)
{
  g_autofree char *text = NULL;
  g_autofree char *code = NULL;
  CountryRows *country;

  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->add_row))));
  code = g_ascii_strup (text, -1);

  if (self->prices == NULL || code[0] == '\0')
    return;

  if (strlen (code) != 2 || !tc_phone_region_is_valid (code))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not a country code: type two "
                                                    "letters, such as KE"), text);

      gtk_widget_add_css_class (GTK_WIDGET (self->add_row), "error");
      tell (self, message, TRUE);
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->add_row), "error");
  /* Emptied, without a ✓ waiting to be pressed (see fill_price()). */
  adw_entry_row_set_show_apply_button (self->add_row, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->add_row), "");
  adw_entry_row_set_show_apply_button (self->add_row, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->search_row), "");

  if (find_country (self, code) == NULL)
    {
      g_hash_table_add (self->added, g_strdup (code));
      sync_countries (self);
    }
  country = find_country (self, code);
  g_assert (country != NULL);
  open_country (country);
}

/* ------------------------------------------------------------------------
 * The page
 */

static void
build_page (TcPricesPage *self)
{
  g_autofree char *age = describe_defaults_age ();
  g_autofree char *note = NULL;
  AdwActionRow *currency_row;
  GtkWidget *currency_label;

  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("Pr_ices"));
  adw_preferences_page_set_use_underline (ADW_PREFERENCES_PAGE (self), TRUE);
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self),
                                      "accessories-calculator-symbolic");

  /* The table as a whole. */
  self->about_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->about_group, _("Price Table"));
  note = g_strdup_printf (_("Default prices as of %s. They are estimates from public price "
                            "lists: check your provider’s price list and type your own where "
                            "they differ. Every message in the outbox carries its estimated "
                            "cost."), age);
  adw_preferences_group_set_description (self->about_group, note);

  currency_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (currency_row), _("Currency"));
  adw_action_row_set_subtitle (currency_row, _("US dollar: the defaults and your own prices"));
  currency_label = gtk_label_new (TC_PRICES_CURRENCY);
  gtk_widget_add_css_class (currency_label, "dim-label");
  adw_action_row_add_suffix (currency_row, currency_label);
  adw_preferences_group_add (self->about_group, GTK_WIDGET (currency_row));

  self->custom_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->custom_row), _("Your Prices"));
  self->reset_all_button = gtk_button_new_with_mnemonic (_("_Reset All"));
  gtk_widget_set_valign (self->reset_all_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->reset_all_button,
                               _("Remove all your prices: the defaults apply everywhere"));
  g_signal_connect_swapped (self->reset_all_button, "clicked",
                            G_CALLBACK (on_reset_all_clicked_cb), self);
  adw_action_row_add_suffix (self->custom_row, self->reset_all_button);
  adw_preferences_group_add (self->about_group, GTK_WIDGET (self->custom_row));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), self->about_group);

  /* The countries. */
  self->countries_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->countries_group, _("Countries"));
  adw_preferences_group_set_description (self->countries_group,
                                         _("SMS are priced per segment, WhatsApp messages per "
                                           "message by template category. Service messages — "
                                           "free-form replies within 24 hours of the contact’s "
                                           "last message — are free."));

  self->search_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->search_row), _("_Find a Country"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->search_row), TRUE);
  adw_entry_row_add_prefix (self->search_row,
                            gtk_image_new_from_icon_name ("system-search-symbolic"));
  g_signal_connect_swapped (self->search_row, "changed", G_CALLBACK (on_search_changed_cb), self);
  g_signal_connect_swapped (self->search_row, "entry-activated",
                            G_CALLBACK (on_search_activated_cb), self);
  adw_preferences_group_add (self->countries_group, GTK_WIDGET (self->search_row));

  self->no_match_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->no_match_row),
                                 _("No country matches: add it below"));
  gtk_widget_set_visible (GTK_WIDGET (self->no_match_row), FALSE);
  adw_preferences_group_add (self->countries_group, GTK_WIDGET (self->no_match_row));

  self->add_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->add_row),
                                 _("_Add a Country (two-letter code, e.g. KE)"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->add_row), TRUE);
  adw_entry_row_set_show_apply_button (self->add_row, TRUE);
  g_signal_connect_swapped (self->add_row, "apply", G_CALLBACK (on_add_apply_cb), self);
  g_signal_connect_swapped (self->add_row, "entry-activated", G_CALLBACK (on_add_apply_cb), self);
  adw_preferences_group_add (self->countries_group, GTK_WIDGET (self->add_row));

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), self->countries_group);

  /* Every other country. */
  self->other_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->other_group, _("Every Other Country"));
  adw_preferences_group_set_description (self->other_group,
                                         _("For countries without prices of their own."));
  self->other = g_new0 (CountryRows, 1);
  g_strlcpy (self->other->code, TC_PRICES_ANY_COUNTRY, sizeof self->other->code);
  self->other->name = g_strdup ("*");
  make_price_rows (self, self->other);
  for (guint i = 0; i < N_KINDS; i++)
    adw_preferences_group_add (self->other_group, GTK_WIDGET (self->other->prices[i].row));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), self->other_group);
}

static void
tc_prices_page_constructed (GObject *object)
{
  TcPricesPage *self = TC_PRICES_PAGE (object);

  G_OBJECT_CLASS (tc_prices_page_parent_class)->constructed (object);

  if (self->repository == NULL)
    return;

  self->changed_id = g_signal_connect (self->repository, "settings-changed::" TC_SETTING_PRICES,
                                       G_CALLBACK (on_settings_changed_cb), self);
  reload (self);
}

static void
tc_prices_page_dispose (GObject *object)
{
  TcPricesPage *self = TC_PRICES_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->repository != NULL)
    g_clear_signal_handler (&self->changed_id, self->repository);
  g_clear_pointer (&self->countries, g_ptr_array_unref);
  g_clear_pointer (&self->other, country_rows_free);
  g_clear_object (&self->repository);

  G_OBJECT_CLASS (tc_prices_page_parent_class)->dispose (object);
}

static void
tc_prices_page_finalize (GObject *object)
{
  TcPricesPage *self = TC_PRICES_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->prices, tc_prices_unref);
  g_clear_pointer (&self->added, g_hash_table_unref);

  G_OBJECT_CLASS (tc_prices_page_parent_class)->finalize (object);
}

static void
tc_prices_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TcPricesPage *self = TC_PRICES_PAGE (object);

  switch (prop_id)
    {
    case PROP_REPOSITORY:
      self->repository = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_prices_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TcPricesPage *self = TC_PRICES_PAGE (object);

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
tc_prices_page_class_init (TcPricesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tc_prices_page_constructed;
  object_class->dispose = tc_prices_page_dispose;
  object_class->finalize = tc_prices_page_finalize;
  object_class->set_property = tc_prices_page_set_property;
  object_class->get_property = tc_prices_page_get_property;

  properties[PROP_REPOSITORY] =
    g_param_spec_object ("repository", NULL, NULL, TC_TYPE_REPOSITORY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tc_prices_page_init (TcPricesPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->countries = g_ptr_array_new_with_free_func ((GDestroyNotify) country_rows_free);
  self->added = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  build_page (self);
  /* Until the table is read. */
  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
}

TcPricesPage *
tc_prices_page_new (TcRepository *repository)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);

  return g_object_new (TC_TYPE_PRICES_PAGE, "repository", repository, NULL);
}
