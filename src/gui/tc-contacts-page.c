/* tc-contacts-page.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-contacts-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tc-contact-list-model.h"
#include "tc-contact.h"
#include "tc-contacts-page.h"
#include "tc-gui-util.h"
#include "tc-repository.h"
#include "tc-segment.h"
#include "tc-segment-builder.h"

struct _TcContactsPage
{
  GtkWidget           parent_instance;

  /* Template widgets */
  GtkSearchEntry     *search_entry;
  GtkWidget          *toolbar;
  GtkLabel           *count_label;
  GtkDropDown        *tag_dropdown;
  GtkStack           *stack;
  GtkSpinner         *spinner;
  GtkColumnView      *column_view;
  AdwStatusPage      *no_results_page;
  GtkMenuButton      *segments_button;

  TcRepository       *repository;
  TcContactListModel *model;
  GtkSingleSelection *selection;
  GtkStringList      *tag_list;
  GMenu              *segments_menu;
  GCancellable       *cancellable;

  /* Enter was pressed in the search before the results arrived: open
   * the first result once it is there. */
  TcContact          *pending_first;
  gulong              pending_first_handler;

  guint               total;
  guint               total_known : 1;
  guint               activate_first_pending : 1;
  guint               folded : 1;
  guint               updating_tags : 1;
};

G_DEFINE_FINAL_TYPE (TcContactsPage, tc_contacts_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_FOLDED,
  PROP_TOTAL,
  N_PROPS
};

enum {
  CONTACT_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Expression closures: the first argument is the list item the expression
 * is evaluated on, then one argument per parameter expression. Strings and
 * string arrays returned are owned by the caller. */

static char *
name_text (GObject    *item,
           const char *display_name,
           gboolean    loaded)
{
  return g_strdup (loaded ? display_name : "…");
}

static GStrv
name_css_classes (GObject  *item,
                  gboolean  loaded)
{
  static const char *dim[] = { "dim-label", NULL };
  static const char *none[] = { NULL };

  return g_strdupv ((char **) (loaded ? none : dim));
}

static char *
country_text (GObject    *item,
              const char *country)
{
  return g_strdup (tc_gui_country_name (country));
}

static char *
tags_text (GObject            *item,
           const char * const *tags)
{
  if (tags == NULL)
    return g_strdup ("");

  return g_strjoinv (", ", (char **) tags);
}

static char *
sms_consent_text (GObject *item,
                  int      status)
{
  /* Translators: short column text, e.g. "SMS ✓" */
  return g_strdup_printf (_("SMS %s"), tc_gui_consent_status_symbol (status));
}

static char *
whatsapp_consent_text (GObject *item,
                       int      status)
{
  /* Translators: short column text, e.g. "WhatsApp ✓" */
  return g_strdup_printf (_("WhatsApp %s"), tc_gui_consent_status_symbol (status));
}

static GStrv
consent_css_classes (GObject *item,
                     int      status)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv classes;

  g_strv_builder_add (builder, "consent");
  g_strv_builder_add (builder, tc_gui_consent_status_css_class (status));
  classes = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return classes;
}

static char *
consent_tooltip (GObject  *item,
                 int       sms,
                 int       whatsapp,
                 gboolean  loaded)
{
  if (!loaded)
    return NULL;

  /* Translators: tooltip of the consent column; the values are e.g. "Opted in" */
  return g_strdup_printf (_("Promotional messages — SMS: %s. WhatsApp: %s."),
                          tc_gui_consent_status_name (sms),
                          tc_gui_consent_status_name (whatsapp));
}

static GtkExpression *
contact_property (const char *name)
{
  return gtk_property_expression_new (TC_TYPE_CONTACT,
                                      gtk_property_expression_new (GTK_TYPE_LIST_ITEM, NULL, "item"),
                                      name);
}

static GtkWidget *
new_cell_label (gboolean ellipsize)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  if (ellipsize)
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  return label;
}

static void
on_name_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  GtkWidget *label = new_cell_label (TRUE);
  GtkExpression *params[2];

  /* A narrow window scrolls the table sideways rather than cutting names
   * down to their initials. */
  gtk_label_set_width_chars (GTK_LABEL (label), 16);

  params[0] = contact_property ("display-name");
  params[1] = contact_property ("loaded");
  gtk_expression_bind (gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 2, params,
                                                    G_CALLBACK (name_text), NULL, NULL),
                       label, "label", list_item);

  params[0] = contact_property ("loaded");
  gtk_expression_bind (gtk_cclosure_expression_new (G_TYPE_STRV, NULL, 1, params,
                                                    G_CALLBACK (name_css_classes), NULL, NULL),
                       label, "css-classes", list_item);

  gtk_list_item_set_child (list_item, label);
}

static void
on_phone_setup_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   gpointer                  user_data)
{
  GtkWidget *label = new_cell_label (FALSE);

  gtk_widget_add_css_class (label, "numeric");
  /* Formatted on the list's reader thread (tc_contact_get_phone_display). */
  gtk_expression_bind (contact_property ("phone-display"), label, "label", list_item);
  gtk_list_item_set_child (list_item, label);
}

static void
on_country_setup_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *list_item,
                     gpointer                  user_data)
{
  GtkWidget *label = new_cell_label (TRUE);
  GtkExpression *params[1];

  params[0] = contact_property ("country");
  gtk_expression_bind (gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 1, params,
                                                    G_CALLBACK (country_text), NULL, NULL),
                       label, "label", list_item);
  gtk_list_item_set_child (list_item, label);
}

static void
on_tags_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  GtkWidget *label = new_cell_label (TRUE);
  GtkExpression *params[1];

  gtk_label_set_width_chars (GTK_LABEL (label), 12);

  params[0] = contact_property ("tags");
  gtk_expression_bind (gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 1, params,
                                                    G_CALLBACK (tags_text), NULL, NULL),
                       label, "label", list_item);
  gtk_list_item_set_child (list_item, label);
}

/* FALSE when there is nothing to evaluate: no row, or the list item is
 * going away (the watch then says so a last time). */
static gboolean
consent_tooltip_of (GtkWidget  *box,
                    char      **text)
{
  GtkExpressionWatch *watch = g_object_get_data (G_OBJECT (box), "tc-consent-watch");
  g_auto(GValue) value = G_VALUE_INIT;

  *text = NULL;
  if (watch == NULL || !gtk_expression_watch_evaluate (watch, &value))
    return FALSE;

  *text = g_value_dup_string (&value);
  return TRUE;
}

static void
consent_watch_free (gpointer watch)
{
  /* Does nothing if the list item went first (the watch then ended). */
  gtk_expression_watch_unwatch (watch);
  gtk_expression_watch_unref (watch);
}

static void
on_consent_description_changed (gpointer user_data)
{
  GtkWidget *box = user_data;
  g_autofree char *text = NULL;

  if (!consent_tooltip_of (box, &text))
    return;

  if (text != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static gboolean
on_consent_query_tooltip_cb (GtkWidget  *box,
                             int         x,
                             int         y,
                             gboolean    keyboard_mode,
                             GtkTooltip *tooltip,
                             gpointer    user_data)
{
  g_autofree char *text = NULL;

  if (!consent_tooltip_of (box, &text) || text == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
on_consent_setup_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *list_item,
                     gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *sms = new_cell_label (FALSE);
  GtkWidget *dot = new_cell_label (FALSE);
  GtkWidget *whatsapp = new_cell_label (FALSE);
  GtkExpression *params[3];
  GtkExpression *expression;
  GtkExpressionWatch *watch;

  gtk_label_set_label (GTK_LABEL (dot), "·");
  gtk_widget_add_css_class (dot, "dim-label");
  gtk_accessible_update_state (GTK_ACCESSIBLE (dot), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);

  params[0] = contact_property ("sms-consent");
  gtk_expression_bind (gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 1, params,
                                                    G_CALLBACK (sms_consent_text), NULL, NULL),
                       sms, "label", list_item);
  params[0] = contact_property ("sms-consent");
  gtk_expression_bind (gtk_cclosure_expression_new (G_TYPE_STRV, NULL, 1, params,
                                                    G_CALLBACK (consent_css_classes), NULL, NULL),
                       sms, "css-classes", list_item);

  params[0] = contact_property ("whatsapp-consent");
  gtk_expression_bind (gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 1, params,
                                                    G_CALLBACK (whatsapp_consent_text), NULL, NULL),
                       whatsapp, "label", list_item);
  params[0] = contact_property ("whatsapp-consent");
  gtk_expression_bind (gtk_cclosure_expression_new (G_TYPE_STRV, NULL, 1, params,
                                                    G_CALLBACK (consent_css_classes), NULL, NULL),
                       whatsapp, "css-classes", list_item);

  /* Not bound to "tooltip-text": on X11 every change of it asks the X
   * server where the pointer is (a round trip), for each row rebound on a
   * scroll. The text is made when a tooltip is asked for; assistive
   * technologies get it as the description, kept up to date by a watch. */
  params[0] = contact_property ("sms-consent");
  params[1] = contact_property ("whatsapp-consent");
  params[2] = contact_property ("loaded");
  expression = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 3, params,
                                            G_CALLBACK (consent_tooltip), NULL, NULL);
  watch = gtk_expression_watch (expression, list_item, on_consent_description_changed, box, NULL);
  g_object_set_data_full (G_OBJECT (box), "tc-consent-watch",
                          gtk_expression_watch_ref (watch), consent_watch_free);
  gtk_expression_unref (expression);
  gtk_widget_set_has_tooltip (box, TRUE);
  g_signal_connect (box, "query-tooltip", G_CALLBACK (on_consent_query_tooltip_cb), NULL);

  gtk_box_append (GTK_BOX (box), sms);
  gtk_box_append (GTK_BOX (box), dot);
  gtk_box_append (GTK_BOX (box), whatsapp);
  gtk_list_item_set_child (list_item, box);
}

static void
add_column (TcContactsPage *self,
            const char     *title,
            GCallback       setup,
            gboolean        expand,
            int             fixed_width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_signal_connect (factory, "setup", setup, self);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  if (fixed_width > 0)
    gtk_column_view_column_set_fixed_width (column, fixed_width);
  gtk_column_view_append_column (self->column_view, column);
}

static void activate_position (TcContactsPage *self,
                               guint           position);

static void
clear_pending_first (TcContactsPage *self)
{
  if (self->pending_first != NULL)
    g_clear_signal_handler (&self->pending_first_handler, self->pending_first);
  g_clear_object (&self->pending_first);
}

static void
on_pending_first_loaded_cb (TcContactsPage *self,
                            GParamSpec     *pspec,
                            TcContact      *contact)
{
  g_autoptr(TcContact) first = NULL;

  if (!tc_contact_get_loaded (contact))
    return;

  clear_pending_first (self);

  /* Only if it is still the first row of what is shown. */
  first = g_list_model_get_item (G_LIST_MODEL (self->selection), 0);
  if (first == contact)
    activate_position (self, 0);
}

static void
activate_first_when_ready (TcContactsPage *self)
{
  g_autoptr(TcContact) first = NULL;

  if (!self->activate_first_pending || self->model == NULL ||
      tc_contact_list_model_get_loading (self->model))
    return;

  self->activate_first_pending = FALSE;
  clear_pending_first (self);

  first = g_list_model_get_item (G_LIST_MODEL (self->selection), 0);
  if (first == NULL)
    return;

  if (tc_contact_get_loaded (first))
    {
      activate_position (self, 0);
      return;
    }

  self->pending_first = g_object_ref (first);
  self->pending_first_handler =
    g_signal_connect_object (first, "notify::loaded",
                             G_CALLBACK (on_pending_first_loaded_cb),
                             self, G_CONNECT_SWAPPED);
}

static void
update_state (TcContactsPage *self)
{
  guint n_items = 0;
  const char *search = NULL;
  const char *tag = NULL;
  const char *page;
  gboolean loading = FALSE;

  if (self->model != NULL)
    {
      n_items = g_list_model_get_n_items (G_LIST_MODEL (self->model));
      loading = tc_contact_list_model_get_loading (self->model);
      search = tc_contact_list_model_get_search (self->model);
      tag = tc_contact_list_model_get_tag (self->model);
    }

  if (n_items > 0)
    page = "list";
  else if (self->model == NULL || loading || !self->total_known)
    page = "loading";
  else if (self->total == 0)
    page = "empty";
  else
    page = "no-results";

  if (g_str_equal (page, "no-results"))
    {
      g_autofree char *title = NULL;

      if (search != NULL && search[0] != '\0')
        title = g_strdup_printf (_("No Contacts Match “%s”"), search);
      else
        title = g_strdup_printf (_("No Contacts Tagged “%s”"), tag ? tag : "");
      adw_status_page_set_title (self->no_results_page, title);
    }

  activate_first_when_ready (self);

  gtk_spinner_set_spinning (self->spinner, g_str_equal (page, "loading"));
  gtk_stack_set_visible_child_name (self->stack, page);
  gtk_widget_set_visible (self->toolbar, !g_str_equal (page, "empty"));
  /* Nobody to put in a segment yet; and the welcome's Alt+S is then
   * "Try It With Sample Data", not Segments (two widgets with one
   * mnemonic only take turns at the focus). */
  gtk_widget_set_sensitive (GTK_WIDGET (self->segments_button), !g_str_equal (page, "empty"));

  if (self->model != NULL && self->total_known)
    {
      g_autofree char *number = tc_gui_format_number (n_items);
      g_autofree char *text = NULL;

      if ((search != NULL && search[0] != '\0') || (tag != NULL && tag[0] != '\0'))
        {
          g_autofree char *total = tc_gui_format_number (self->total);

          /* Translators: "12 of 1,234 contacts" */
          text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%s of %s contact",
                                               "%s of %s contacts",
                                               self->total),
                                  number, total);
        }
      else
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%s contact",
                                             "%s contacts",
                                             n_items),
                                number);
      gtk_label_set_label (self->count_label, text);
    }
  else
    gtk_label_set_label (self->count_label, "");
}

static void
set_total (TcContactsPage *self,
           guint           total)
{
  self->total_known = TRUE;

  if (self->total != total)
    {
      self->total = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
    }

  update_state (self);
}

static void
on_total_counted_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(TcContactsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  guint total = 0;

  if (!tc_repository_count_contacts_finish (TC_REPOSITORY (object), result, &total, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not count contacts: %s", error->message);
      return;
    }

  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  set_total (self, total);
}

static void
on_tags_listed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TcContactsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) tags = NULL;
  const char *current;
  guint selected = 0;
  g_autofree char *current_tag = NULL;

  tags = tc_repository_list_tags_finish (TC_REPOSITORY (object), result, &error);
  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not list tags: %s", error->message);
      return;
    }

  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  current = self->model ? tc_contact_list_model_get_tag (self->model) : NULL;
  current_tag = g_strdup (current);

  /* Replace the entries but keep the chosen tag chosen; if it is gone,
   * fall back to all tags. */
  self->updating_tags = TRUE;
  gtk_string_list_splice (self->tag_list, 1,
                          g_list_model_get_n_items (G_LIST_MODEL (self->tag_list)) - 1,
                          (const char * const *) tags);
  if (current_tag != NULL && tags != NULL)
    {
      for (guint i = 0; tags[i] != NULL; i++)
        if (g_str_equal (tags[i], current_tag))
          selected = i + 1;
    }
  gtk_drop_down_set_selected (self->tag_dropdown, selected);
  self->updating_tags = FALSE;

  if (selected == 0 && current_tag != NULL && self->model != NULL)
    tc_contact_list_model_set_tag (self->model, NULL);

  gtk_widget_set_sensitive (GTK_WIDGET (self->tag_dropdown), tags != NULL && tags[0] != NULL);
}

static void
refresh_workspace_info (TcContactsPage *self)
{
  tc_repository_count_contacts_async (self->repository, NULL, NULL,
                                      self->cancellable,
                                      on_total_counted_cb,
                                      g_object_ref (self));
  tc_repository_list_tags_async (self->repository,
                                 self->cancellable,
                                 on_tags_listed_cb,
                                 g_object_ref (self));
}

static void
on_repository_contacts_changed_cb (TcContactsPage *self,
                                   TcRepository   *repository)
{
  refresh_workspace_info (self);
}

static void
on_model_items_changed_cb (TcContactsPage *self,
                           guint           position,
                           guint           removed,
                           guint           added,
                           GListModel     *model)
{
  update_state (self);
}

static void
on_model_loading_changed_cb (TcContactsPage     *self,
                             GParamSpec         *pspec,
                             TcContactListModel *model)
{
  update_state (self);
}

/* A new search or tag: the model refills the rows in place (it keeps its
 * row objects, see tc-contact-list-model.c), so the page itself goes back
 * to the top and forgets the selected row, as a new list would. */
static void
on_model_filter_changed_cb (TcContactsPage     *self,
                            GParamSpec         *pspec,
                            TcContactListModel *model)
{
  GtkAdjustment *vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view));

  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  if (vadjustment != NULL)
    gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_lower (vadjustment));
}

static void
activate_position (TcContactsPage *self,
                   guint           position)
{
  g_autoptr(TcContact) contact = NULL;

  contact = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  if (contact == NULL || !tc_contact_get_loaded (contact))
    return;

  gtk_single_selection_set_selected (self->selection, position);
  g_signal_emit (self, signals[CONTACT_ACTIVATED], 0, contact);
}

static void
on_column_view_activated_cb (GtkColumnView  *column_view,
                             guint           position,
                             TcContactsPage *self)
{
  activate_position (self, position);
}

static void
on_search_entry_search_changed_cb (GtkSearchEntry *entry,
                                   TcContactsPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  if (self->model != NULL)
    tc_contact_list_model_set_search (self->model, stripped[0] != '\0' ? stripped : NULL);
}

static void
on_search_entry_activated_cb (GtkSearchEntry *entry,
                              TcContactsPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  const char *search;

  if (self->model == NULL)
    return;

  /* Without a search, Enter moves on to the list itself. */
  if (stripped[0] == '\0')
    {
      tc_contacts_page_focus_list (self);
      return;
    }

  /* Enter in the search opens the best (first) match: of the text as
   * typed, even when it is quicker than the search delay. */
  search = tc_contact_list_model_get_search (self->model);
  if (g_strcmp0 (search ? search : "", stripped) != 0)
    tc_contact_list_model_set_search (self->model, stripped[0] != '\0' ? stripped : NULL);

  self->activate_first_pending = TRUE;
  activate_first_when_ready (self);
}

static void
on_search_entry_stop_search_cb (GtkSearchEntry *entry,
                                TcContactsPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

static void
on_tag_dropdown_selected_changed_cb (GtkDropDown    *dropdown,
                                     GParamSpec     *pspec,
                                     TcContactsPage *self)
{
  guint selected = gtk_drop_down_get_selected (dropdown);
  const char *tag = NULL;

  if (self->updating_tags || self->model == NULL)
    return;

  if (selected != GTK_INVALID_LIST_POSITION && selected > 0)
    tag = gtk_string_list_get_string (self->tag_list, selected);

  tc_contact_list_model_set_tag (self->model, tag);
}

/* The Segments menu: the saved segments (read again each time it opens),
 * then New Segment…. */
static void
fill_segments_menu (TcContactsPage *self,
                    GPtrArray      *segments)
{
  g_autoptr(GMenu) saved = g_menu_new ();
  g_autoptr(GMenu) actions = g_menu_new ();

  g_menu_remove_all (self->segments_menu);
  for (guint i = 0; segments != NULL && i < segments->len; i++)
    {
      const TcSavedSegment *segment = g_ptr_array_index (segments, i);
      g_autoptr(GMenuItem) item = g_menu_item_new (segment->name, NULL);

      g_menu_item_set_action_and_target_value (item, "contacts.open-segment",
                                               g_variant_new_string (segment->name));
      g_menu_append_item (saved, item);
    }
  g_menu_append (actions, _("_New Segment…"), "contacts.new-segment");
  if (g_menu_model_get_n_items (G_MENU_MODEL (saved)) > 0)
    g_menu_append_section (self->segments_menu, NULL, G_MENU_MODEL (saved));
  g_menu_append_section (self->segments_menu, NULL, G_MENU_MODEL (actions));
}

static void
segments_listed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(TcContactsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) segments = NULL;

  segments = tc_segment_store_list_finish (TC_REPOSITORY (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (segments == NULL)
    g_warning ("Could not list the saved segments: %s", error->message);
  else
    g_debug ("Listed %u saved segments", segments->len);
  fill_segments_menu (self, segments);
}

/* Called each time the menu opens. */
static void
segments_popup_cb (GtkMenuButton *button,
                   gpointer       user_data)
{
  TcContactsPage *self = user_data;

  if (self->repository == NULL)
    return;

  tc_segment_store_list_async (self->repository, self->cancellable, segments_listed_cb, g_object_ref (self));
}

static void
open_segment_builder (TcContactsPage *self,
                      const char     *name)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  TcSegmentBuilder *builder;

  if (self->repository == NULL)
    return;

  builder = tc_segment_builder_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                    self->repository, name);
  gtk_window_present (GTK_WINDOW (builder));
}

static void
new_segment_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  open_segment_builder (TC_CONTACTS_PAGE (widget), NULL);
}

static void
open_segment_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  open_segment_builder (TC_CONTACTS_PAGE (widget), g_variant_get_string (parameter, NULL));
}

static void
tc_contacts_page_dispose (GObject *object)
{
  TcContactsPage *self = (TcContactsPage *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  clear_pending_first (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), TC_TYPE_CONTACTS_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->repository);
  g_clear_object (&self->tag_list);
  g_clear_object (&self->segments_menu);

  G_OBJECT_CLASS (tc_contacts_page_parent_class)->dispose (object);
}

static void
tc_contacts_page_finalize (GObject *object)
{
  TcContactsPage *self = (TcContactsPage *)object;

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (tc_contacts_page_parent_class)->finalize (object);
}

static void
tc_contacts_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TcContactsPage *self = TC_CONTACTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;

    case PROP_TOTAL:
      g_value_set_uint (value, self->total);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_contacts_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TcContactsPage *self = TC_CONTACTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      tc_contacts_page_set_folded (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_contacts_page_class_init (TcContactsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tc_contacts_page_dispose;
  object_class->finalize = tc_contacts_page_finalize;
  object_class->get_property = tc_contacts_page_get_property;
  object_class->set_property = tc_contacts_page_set_property;

  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_TOTAL] =
    g_param_spec_uint ("total", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CONTACT_ACTIVATED] =
    g_signal_new ("contact-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TC_TYPE_CONTACT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/textcast/Textcast/tc-contacts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TcContactsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TcContactsPage, toolbar);
  gtk_widget_class_bind_template_child (widget_class, TcContactsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, TcContactsPage, tag_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TcContactsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TcContactsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, TcContactsPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, TcContactsPage, no_results_page);
  gtk_widget_class_bind_template_callback (widget_class, on_column_view_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_tag_dropdown_selected_changed_cb);
  gtk_widget_class_bind_template_child (widget_class, TcContactsPage, segments_button);

  gtk_widget_class_install_action (widget_class, "contacts.new-segment", NULL, new_segment_action);
  gtk_widget_class_install_action (widget_class, "contacts.open-segment", "s", open_segment_action);
}

static void
tc_contacts_page_init (TcContactsPage *self)
{
  static const char *all_tags[] = { N_("All tags"), NULL };

  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->tag_list = gtk_string_list_new (NULL);
  gtk_string_list_append (self->tag_list, _(all_tags[0]));
  gtk_drop_down_set_model (self->tag_dropdown, G_LIST_MODEL (self->tag_list));
  gtk_widget_set_sensitive (GTK_WIDGET (self->tag_dropdown), FALSE);

  add_column (self, _("Name"), G_CALLBACK (on_name_setup_cb), TRUE, -1);
  add_column (self, _("Phone"), G_CALLBACK (on_phone_setup_cb), FALSE, 160);
  add_column (self, _("Country"), G_CALLBACK (on_country_setup_cb), FALSE, 140);
  add_column (self, _("Tags"), G_CALLBACK (on_tags_setup_cb), TRUE, -1);
  add_column (self, _("Consent"), G_CALLBACK (on_consent_setup_cb), FALSE, 180);

  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));

  self->segments_menu = g_menu_new ();
  fill_segments_menu (self, NULL);
  gtk_menu_button_set_menu_model (self->segments_button, G_MENU_MODEL (self->segments_menu));
  gtk_menu_button_set_create_popup_func (self->segments_button, segments_popup_cb, self, NULL);

  update_state (self);
}

void
tc_contacts_page_set_repository (TcContactsPage *self,
                                 TcRepository   *repository)
{
  g_return_if_fail (TC_IS_CONTACTS_PAGE (self));
  g_return_if_fail (TC_IS_REPOSITORY (repository));

  if (self->repository == repository)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (self->repository != NULL)
    g_signal_handlers_disconnect_by_data (self->repository, self);
  gtk_column_view_set_model (self->column_view, NULL);
  g_clear_object (&self->selection);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);

  g_set_object (&self->repository, repository);
  self->total_known = FALSE;

  self->model = tc_contact_list_model_new (repository);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->model, "items-changed",
                           G_CALLBACK (on_model_items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::loading",
                           G_CALLBACK (on_model_loading_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::search",
                           G_CALLBACK (on_model_filter_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::tag",
                           G_CALLBACK (on_model_filter_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (repository, "contacts-changed",
                           G_CALLBACK (on_repository_contacts_changed_cb), self, G_CONNECT_SWAPPED);

  on_search_entry_search_changed_cb (self->search_entry, self);
  refresh_workspace_info (self);
  update_state (self);
}

guint
tc_contacts_page_get_total (TcContactsPage *self)
{
  g_return_val_if_fail (TC_IS_CONTACTS_PAGE (self), 0);

  return self->total;
}

gboolean
tc_contacts_page_get_folded (TcContactsPage *self)
{
  g_return_val_if_fail (TC_IS_CONTACTS_PAGE (self), FALSE);

  return self->folded;
}

void
tc_contacts_page_set_folded (TcContactsPage *self,
                             gboolean        folded)
{
  g_return_if_fail (TC_IS_CONTACTS_PAGE (self));

  folded = !!folded;
  if (self->folded == folded)
    return;

  self->folded = folded;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDED]);
}

void
tc_contacts_page_focus_search (TcContactsPage *self)
{
  g_return_if_fail (TC_IS_CONTACTS_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
tc_contacts_page_focus_list (TcContactsPage *self)
{
  g_return_if_fail (TC_IS_CONTACTS_PAGE (self));

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "list") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}
