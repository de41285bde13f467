/* tc-inbox-page.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-inbox-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tc-inbox-contact.h"
#include "tc-inbox-page.h"
#include "tc-inbox.h"
#include "tc-template-store.h"
#include "tc-template.h"
#include "tc-window.h"

#define LIST_LIMIT    500
#define THREAD_LIMIT  500
#define REFRESH_SECONDS 5

struct _TcInboxPage
{
  GtkWidget       parent_instance;

  AdwLeaflet     *leaflet;
  GtkWidget      *list_pane;
  GtkWidget      *thread_pane;
  GtkSearchEntry *search_entry;
  GtkStack       *list_stack;
  GtkListBox     *conversation_list;
  GtkStack       *thread_stack;
  AdwWindowTitle *thread_title;
  GtkMenuButton  *contact_button;
  TcInboxContact *contact_panel;
  GtkListBox     *thread_list;
  GtkScrolledWindow *thread_scroller;
  GtkDropDown    *channel_dropdown;
  GtkDropDown    *template_dropdown;
  GtkStringList  *template_names;
  GtkEntry       *reply_entry;
  GtkButton      *send_button;
  GtkLabel       *window_label;

  TcRepository   *repository;
  TcSendService  *send_service;
  GCancellable   *cancellable;
  GCancellable   *list_cancellable;
  GCancellable   *thread_cancellable;

  gint64          contact_id;        /* the conversation shown; 0 = none */
  TcConversation *conversation;      /* its summary, as last read */
  char           *reply_key;         /* the idempotency key of the reply being written */
  guint           unread;
  guint           refresh_id;
  guint           n_thread_rows;
  gboolean        folded;
  gboolean        selecting;         /* the list is being rebuilt: ignore selection */
  gboolean        sending;
};

G_DEFINE_FINAL_TYPE (TcInboxPage, tc_inbox_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_FOLDED,
  PROP_UNREAD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void load_list     (TcInboxPage *self);
static void load_thread   (TcInboxPage *self);
static void load_templates (TcInboxPage *self);
static void update_composer (TcInboxPage *self);

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
toast (TcInboxPage *self,
       const char  *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (TC_IS_WINDOW (root))
    tc_window_add_toast (TC_WINDOW (root), text);
}

/* "14:05" today, "Mon 14:05" this week, else "3 Nov". */
static char *
format_when (gint64 at)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (at);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (time == NULL)
    return g_strdup ("");
  if (g_date_time_get_year (time) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (time) == g_date_time_get_day_of_year (now))
    return g_date_time_format (time, "%H:%M");
  if (g_date_time_difference (now, time) < 6 * G_TIME_SPAN_DAY)
    /* Translators: a weekday and a time, as strftime() writes them */
    return g_date_time_format (time, _("%a %H:%M"));
  /* Translators: a day and a month, as strftime() writes them */
  return g_date_time_format (time, _("%-d %b"));
}

static const char *
display_name (const TcConversation *conversation)
{
  return conversation->name != NULL && conversation->name[0] != '\0' ? conversation->name
                                                                      : conversation->phone;
}

/* ------------------------------------------------------------------------
 * The conversation list
 */

static GtkWidget *
conversation_row_new (const TcConversation *conversation)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *bottom = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *name = gtk_label_new (display_name (conversation));
  g_autofree char *when_text = format_when (conversation->last_at);
  GtkWidget *when = gtk_label_new (when_text);
  g_autofree char *preview_text = NULL;
  GtkWidget *preview;
  g_autofree char *accessible = NULL;

  if (conversation->last_body[0] == '\0')
    preview_text = g_strdup (_("A WhatsApp template"));
  else if (conversation->last_outbound)
    /* Translators: the start of our last message in the conversation list */
    preview_text = g_strdup_printf (_("You: %s"), conversation->last_body);
  else
    preview_text = g_strdup (conversation->last_body);
  preview = gtk_label_new (preview_text);

  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  if (conversation->unread > 0)
    gtk_widget_add_css_class (name, "heading");
  gtk_widget_add_css_class (when, "dim-label");
  gtk_widget_add_css_class (when, "caption");
  gtk_box_append (GTK_BOX (top), name);
  gtk_box_append (GTK_BOX (top), when);

  gtk_label_set_xalign (GTK_LABEL (preview), 0);
  gtk_label_set_ellipsize (GTK_LABEL (preview), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (preview), TRUE);
  gtk_widget_set_hexpand (preview, TRUE);
  gtk_widget_add_css_class (preview, "dim-label");
  gtk_box_append (GTK_BOX (bottom), preview);
  if (conversation->unread > 0)
    {
      g_autofree char *count = g_strdup_printf ("%u", conversation->unread);
      GtkWidget *badge = gtk_label_new (count);

      gtk_widget_add_css_class (badge, "tc-unread-badge");
      gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (bottom), badge);
    }

  gtk_box_append (GTK_BOX (box), top);
  gtk_box_append (GTK_BOX (box), bottom);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  if (conversation->unread > 0)
    accessible = g_strdup_printf (ngettext ("%s, %u unread message: %s", "%s, %u unread messages: %s",
                                            conversation->unread),
                                  display_name (conversation), conversation->unread, preview_text);
  else
    accessible = g_strdup_printf ("%s: %s", display_name (conversation), preview_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);

  g_object_set_data_full (G_OBJECT (row), "conversation", tc_conversation_copy (conversation),
                          (GDestroyNotify) tc_conversation_free);
  return row;
}

static void
set_unread (TcInboxPage *self,
            guint        unread)
{
  if (self->unread == unread)
    return;
  self->unread = unread;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREAD]);
}

static void
on_unread_counted_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(TcInboxPage) self = user_data;
  g_autoptr(GError) error = NULL;
  guint unread = 0;

  if (!tc_inbox_count_unread_finish (TC_REPOSITORY (object), result, &unread, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot count the unread messages: %s", error->message);
      return;
    }
  set_unread (self, unread);
}

static void
on_list_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TcInboxPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conversations = NULL;
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  GtkWidget *child;

  conversations = tc_inbox_list_finish (TC_REPOSITORY (object), result, &error);
  if (conversations == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }

  self->selecting = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->conversation_list))) != NULL)
    gtk_list_box_remove (self->conversation_list, child);
  for (guint i = 0; i < conversations->len; i++)
    {
      const TcConversation *conversation = g_ptr_array_index (conversations, i);
      GtkWidget *row = conversation_row_new (conversation);

      gtk_list_box_append (self->conversation_list, row);
      if (conversation->contact_id == self->contact_id)
        gtk_list_box_select_row (self->conversation_list, GTK_LIST_BOX_ROW (row));
    }
  self->selecting = FALSE;

  if (conversations->len > 0)
    gtk_stack_set_visible_child_name (self->list_stack, "list");
  else
    gtk_stack_set_visible_child_name (self->list_stack, search[0] != '\0' ? "no-results" : "empty");
  g_debug ("Listed %u conversations", conversations->len);

  tc_inbox_count_unread_async (self->repository, self->cancellable, on_unread_counted_cb,
                               g_object_ref (self));
}

static void
load_list (TcInboxPage *self)
{
  if (self->repository == NULL)
    return;

  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  self->list_cancellable = g_cancellable_new ();
  tc_inbox_list_async (self->repository, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                       LIST_LIMIT, self->list_cancellable, on_list_loaded_cb, g_object_ref (self));
}

/* ------------------------------------------------------------------------
 * The thread
 */

static GtkWidget *
message_row_new (const TcInboxMessage *message)
{
  gboolean outbound = message->direction == TC_INBOX_MESSAGE_OUTBOUND;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  g_autofree char *text = NULL;
  g_autofree char *when = format_when (message->at);
  g_autofree char *meta_text = NULL;
  g_autofree char *note_text = NULL;
  g_autofree char *accessible = NULL;
  const char *channel = message->channel == TC_CHANNEL_WHATSAPP ? _("WhatsApp") : _("SMS");
  const char *note_class = NULL;
  GtkWidget *bubble, *meta;

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);

  if (message->body[0] != '\0')
    text = g_strdup (message->body);
  else if (message->template_name != NULL)
    /* Translators: %s is a WhatsApp template's name */
    text = g_strdup_printf (_("WhatsApp template “%s”"), message->template_name);
  else
    text = g_strdup (_("WhatsApp template"));

  bubble = gtk_label_new (text);
  gtk_label_set_wrap (GTK_LABEL (bubble), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (bubble), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (bubble), 0);
  gtk_label_set_max_width_chars (GTK_LABEL (bubble), 48);
  gtk_label_set_selectable (GTK_LABEL (bubble), TRUE);
  gtk_widget_add_css_class (bubble, "tc-bubble");
  gtk_widget_add_css_class (bubble, outbound ? "tc-bubble-out" : "tc-bubble-in");
  gtk_widget_set_halign (bubble, outbound ? GTK_ALIGN_END : GTK_ALIGN_START);

  if (outbound)
    {
      const char *tick = NULL;

      switch (message->state)
        {
        case TC_OUTBOX_SENT:
          /* Translators: a sent message's tick */
          tick = _("✓ Sent");
          break;
        case TC_OUTBOX_DELIVERED:
          tick = _("✓✓ Delivered");
          break;
        case TC_OUTBOX_READ:
          tick = _("✓✓ Read");
          break;
        case TC_OUTBOX_QUEUED:
          tick = _("Waiting to be sent");
          break;
        case TC_OUTBOX_SENDING:
          tick = _("Sending…");
          break;
        case TC_OUTBOX_DEFERRED:
        case TC_OUTBOX_PAUSED:
          note_text = tc_inbox_message_describe_state (message);
          note_class = "warning";
          break;
        case TC_OUTBOX_SKIPPED:
        case TC_OUTBOX_FAILED:
        case TC_OUTBOX_UNDELIVERED:
        case TC_OUTBOX_UNKNOWN:
        default:
          note_text = tc_inbox_message_describe_state (message);
          note_class = "error";
          break;
        }
      meta_text = tick != NULL ? g_strdup_printf ("%s · %s · %s", when, channel, tick)
                               : g_strdup_printf ("%s · %s", when, channel);
    }
  else
    {
      meta_text = g_strdup_printf ("%s · %s", when, channel);
      note_text = tc_inbox_message_describe_action (message);
      note_class = "accent";
    }

  meta = gtk_label_new (meta_text);
  gtk_widget_add_css_class (meta, "caption");
  gtk_widget_add_css_class (meta, "dim-label");
  gtk_widget_set_halign (meta, outbound ? GTK_ALIGN_END : GTK_ALIGN_START);

  gtk_widget_set_margin_start (box, outbound ? 72 : 12);
  gtk_widget_set_margin_end (box, outbound ? 12 : 72);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_box_append (GTK_BOX (box), bubble);
  gtk_box_append (GTK_BOX (box), meta);
  if (note_text != NULL)
    {
      GtkWidget *note = gtk_label_new (note_text);

      gtk_label_set_wrap (GTK_LABEL (note), TRUE);
      gtk_label_set_xalign (GTK_LABEL (note), outbound ? 1 : 0);
      gtk_widget_set_halign (note, outbound ? GTK_ALIGN_END : GTK_ALIGN_START);
      gtk_widget_add_css_class (note, "caption");
      gtk_widget_add_css_class (note, note_class);
      gtk_box_append (GTK_BOX (box), note);
    }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  /* Translators: who wrote (You / They), the text, the time and channel, then the status */
  accessible = g_strdup_printf (_("%s: %s. %s. %s"), outbound ? _("You") : _("They"), text, meta_text,
                                note_text != NULL ? note_text : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  return row;
}

static gboolean
scroll_to_end_cb (gpointer user_data)
{
  TcInboxPage *self = user_data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->thread_scroller);

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  return G_SOURCE_REMOVE;
}

static void
on_marked_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TcInboxPage) self = user_data;
  g_autoptr(GError) error = NULL;
  guint marked = 0;

  if (!tc_inbox_mark_read_finish (TC_REPOSITORY (object), result, &marked, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot mark the conversation read: %s", error->message);
      return;
    }
  if (marked > 0)
    load_list (self);
}

static void
on_thread_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(TcInboxPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(TcConversation) conversation = NULL;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->thread_scroller);
  gboolean at_end;
  GtkWidget *child;

  messages = tc_inbox_thread_finish (TC_REPOSITORY (object), result, &conversation, &error);
  if (messages == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }
  if (conversation->contact_id != self->contact_id)
    return;

  /* Follow the end only when the reader was there (or it is new). */
  at_end = self->n_thread_rows != messages->len &&
           (self->conversation == NULL || self->conversation->contact_id != conversation->contact_id ||
            gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment) >=
            gtk_adjustment_get_upper (adjustment) - 24);

  /* A new conversation: answer where the window allows it best. */
  if (self->conversation == NULL || self->conversation->contact_id != conversation->contact_id)
    gtk_drop_down_set_selected (self->channel_dropdown,
                                tc_conversation_wa_window_closes (conversation, now_seconds ()) > 0 ? 1 : 0);
  g_clear_pointer (&self->conversation, tc_conversation_free);
  self->conversation = g_steal_pointer (&conversation);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->thread_list))) != NULL)
    gtk_list_box_remove (self->thread_list, child);
  for (guint i = 0; i < messages->len; i++)
    gtk_list_box_append (self->thread_list, message_row_new (g_ptr_array_index (messages, i)));
  self->n_thread_rows = messages->len;

  adw_window_title_set_title (self->thread_title, display_name (self->conversation));
  adw_window_title_set_subtitle (self->thread_title,
                                 self->conversation->name[0] != '\0' ? self->conversation->phone : NULL);
  gtk_stack_set_visible_child_name (self->thread_stack, "thread");
  update_composer (self);
  g_debug ("Conversation with contact %" G_GINT64_FORMAT ": %u messages, %u unread",
           self->contact_id, messages->len, self->conversation->unread);

  if (at_end)
    g_idle_add_full (G_PRIORITY_LOW, scroll_to_end_cb, g_object_ref (self), g_object_unref);

  /* Shown to someone: read. */
  if (self->conversation->unread > 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
    tc_inbox_mark_read_async (self->repository, self->contact_id, self->cancellable,
                              on_marked_read_cb, g_object_ref (self));
}

static void
load_thread (TcInboxPage *self)
{
  if (self->repository == NULL || self->contact_id <= 0)
    return;

  g_cancellable_cancel (self->thread_cancellable);
  g_clear_object (&self->thread_cancellable);
  self->thread_cancellable = g_cancellable_new ();
  tc_inbox_thread_async (self->repository, self->contact_id, THREAD_LIMIT, self->thread_cancellable,
                         on_thread_loaded_cb, g_object_ref (self));
}

static void
select_contact (TcInboxPage *self,
                gint64       contact_id)
{
  if (contact_id != self->contact_id)
    {
      g_clear_pointer (&self->conversation, tc_conversation_free);
      g_clear_pointer (&self->reply_key, g_free);
      gtk_editable_set_text (GTK_EDITABLE (self->reply_entry), "");
      self->n_thread_rows = 0;
    }
  self->contact_id = contact_id;
  tc_inbox_contact_set_contact (self->contact_panel, self->repository, contact_id);
  load_thread (self);
  adw_leaflet_set_visible_child (self->leaflet, self->thread_pane);
}

static void
on_row_selected_cb (GtkListBox    *list,
                    GtkListBoxRow *row,
                    TcInboxPage   *self)
{
  const TcConversation *conversation;

  if (self->selecting || row == NULL)
    return;

  conversation = g_object_get_data (G_OBJECT (row), "conversation");
  select_contact (self, conversation->contact_id);
  gtk_widget_grab_focus (GTK_WIDGET (self->reply_entry));
}

/* ------------------------------------------------------------------------
 * Replying
 */

static TcChannel
chosen_channel (TcInboxPage *self)
{
  return gtk_drop_down_get_selected (self->channel_dropdown) == 1 ? TC_CHANNEL_WHATSAPP : TC_CHANNEL_SMS;
}

/* The template picked, or NULL (the first item is "no template"). */
static const char *
chosen_template (TcInboxPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->template_dropdown);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return NULL;
  return gtk_string_list_get_string (self->template_names, selected);
}

static void
update_composer (TcInboxPage *self)
{
  TcChannel channel = chosen_channel (self);
  const char *template_name = chosen_template (self);
  gboolean has_text = gtk_entry_get_text_length (self->reply_entry) > 0;
  g_autofree char *hint = NULL;
  gboolean window_open = FALSE;

  if (channel == TC_CHANNEL_WHATSAPP && self->conversation != NULL)
    {
      gint64 now = now_seconds ();
      gint64 closes = tc_conversation_wa_window_closes (self->conversation, now);

      window_open = closes > 0;
      if (window_open)
        {
          gint64 left = closes - now;

          if (left >= 3600)
            hint = g_strdup_printf (ngettext ("WhatsApp: free text for %d more hour, then only approved templates",
                                              "WhatsApp: free text for %d more hours, then only approved templates",
                                              (int) (left / 3600)),
                                    (int) (left / 3600));
          else
            hint = g_strdup_printf (ngettext ("WhatsApp: free text for %d more minute, then only approved templates",
                                              "WhatsApp: free text for %d more minutes, then only approved templates",
                                              (int) MAX (1, left / 60)),
                                    (int) MAX (1, left / 60));
        }
      else
        hint = g_strdup (_("WhatsApp: more than 24 hours since they last wrote there — pick an approved template"));
    }
  else
    hint = g_strdup (_("SMS: sent when they agreed to texts from you; an opt-out is honoured at once"));

  gtk_label_set_label (self->window_label, hint);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reply_entry),
                            template_name == NULL && (channel == TC_CHANNEL_SMS || window_open));
  gtk_entry_set_placeholder_text (self->reply_entry,
                                  template_name != NULL ? _("The template is sent as it is")
                                  : channel == TC_CHANNEL_WHATSAPP && !window_open
                                  ? _("Pick a template to write on WhatsApp")
                                  : _("Write a reply…"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->send_button),
                            !self->sending && self->conversation != NULL &&
                            (template_name != NULL ||
                             (has_text && (channel == TC_CHANNEL_SMS || window_open))));
}

static void
on_templates_listed_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(TcInboxPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *first = _("No template");

  templates = tc_repository_list_templates_finish (TC_REPOSITORY (object), result, &error);
  if (templates == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot list the templates: %s", error->message);
      return;
    }

  g_ptr_array_add (names, (gpointer) first);
  for (guint i = 0; i < templates->len; i++)
    {
      TcTemplate *template = g_ptr_array_index (templates, i);

      /* WhatsApp: only what Meta approved can go out. */
      if (tc_template_get_kind (template) == TC_TEMPLATE_KIND_WHATSAPP &&
          g_strcmp0 (tc_template_get_status (template), "approved") != 0)
        continue;
      g_ptr_array_add (names, (gpointer) tc_template_get_name (template));
    }
  g_ptr_array_add (names, NULL);
  gtk_string_list_splice (self->template_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->template_names)),
                          (const char * const *) names->pdata);
  gtk_drop_down_set_selected (self->template_dropdown, 0);
  update_composer (self);
}

static void
load_templates (TcInboxPage *self)
{
  if (self->repository == NULL)
    return;

  tc_repository_list_templates_async (self->repository,
                                      chosen_channel (self) == TC_CHANNEL_WHATSAPP
                                      ? TC_TEMPLATE_KIND_WHATSAPP : TC_TEMPLATE_KIND_SMS,
                                      self->cancellable, on_templates_listed_cb, g_object_ref (self));
}

static void
on_replied_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(TcInboxPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcOutboxEntry) entry = NULL;

  self->sending = FALSE;
  entry = tc_inbox_reply_finish (TC_REPOSITORY (object), result, &error);
  if (entry == NULL)
    {
      /* The same key again on the next try: never two answers. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      update_composer (self);
      return;
    }

  g_debug ("Reply queued as outbox message %" G_GINT64_FORMAT " (%s)", entry->id,
           tc_outbox_state_to_string (entry->state));
  g_clear_pointer (&self->reply_key, g_free);
  gtk_editable_set_text (GTK_EDITABLE (self->reply_entry), "");
  gtk_drop_down_set_selected (self->template_dropdown, 0);
  if (entry->state != TC_OUTBOX_QUEUED)
    {
      TcInboxMessage message = {
        .direction = TC_INBOX_MESSAGE_OUTBOUND,
        .state = entry->state,
        .reason = entry->reason,
        .error_code = entry->error_code,
      };
      g_autofree char *text = tc_inbox_message_describe_state (&message);

      toast (self, text);
    }
  if (self->send_service != NULL)
    tc_send_service_kick (self->send_service);
  self->n_thread_rows = 0;
  load_thread (self);
  load_list (self);
  update_composer (self);
}

static void
send_reply (TcInboxPage *self)
{
  TcInboxReply reply = { 0, };
  g_autofree char *text = NULL;

  if (self->conversation == NULL || self->sending ||
      !gtk_widget_get_sensitive (GTK_WIDGET (self->send_button)))
    return;

  if (self->reply_key == NULL)
    {
      g_autofree char *uuid = g_uuid_string_random ();

      self->reply_key = g_strconcat (TC_INBOX_ORIGIN ":", uuid, NULL);
    }
  text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reply_entry)));
  reply.contact_id = self->contact_id;
  reply.channel = chosen_channel (self);
  reply.template_name = chosen_template (self);
  reply.body = reply.template_name == NULL ? text : NULL;
  reply.idem_key = self->reply_key;

  self->sending = TRUE;
  update_composer (self);
  tc_inbox_reply_async (self->repository, &reply, self->cancellable, on_replied_cb, g_object_ref (self));
}

static void
on_channel_changed_cb (TcInboxPage *self)
{
  load_templates (self);
  update_composer (self);
}

/* ------------------------------------------------------------------------
 * Refreshing
 */

static gboolean
refresh_cb (gpointer user_data)
{
  TcInboxPage *self = user_data;

  load_list (self);
  load_thread (self);
  return G_SOURCE_CONTINUE;
}

static void
on_message_received_cb (TcInboxPage   *self,
                        gint64         contact_id,
                        gint64         inbound_id,
                        const char    *action,
                        TcSendService *service)
{
  load_list (self);
  if (contact_id == self->contact_id)
    load_thread (self);
}

static void
tc_inbox_page_map (GtkWidget *widget)
{
  TcInboxPage *self = TC_INBOX_PAGE (widget);

  GTK_WIDGET_CLASS (tc_inbox_page_parent_class)->map (widget);

  load_list (self);
  load_thread (self);
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add_seconds (REFRESH_SECONDS, refresh_cb, self);
}

static void
tc_inbox_page_unmap (GtkWidget *widget)
{
  TcInboxPage *self = TC_INBOX_PAGE (widget);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  GTK_WIDGET_CLASS (tc_inbox_page_parent_class)->unmap (widget);
}

/* ------------------------------------------------------------------------
 * Building
 */

static GtkWidget *
status_page_new (const char *icon,
                 const char *title,
                 const char *description)
{
  GtkWidget *page = adw_status_page_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), icon);
  adw_status_page_set_title (ADW_STATUS_PAGE (page), title);
  adw_status_page_set_description (ADW_STATUS_PAGE (page), description);
  return page;
}

/* Enter in the search: the first conversation found. */
static void
open_first (TcInboxPage *self)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->conversation_list, 0);

  if (row != NULL)
    gtk_list_box_select_row (self->conversation_list, row);
}

/* Down from the search goes into the list. */
static gboolean
on_search_key_pressed_cb (GtkEventControllerKey *controller,
                          guint                  keyval,
                          guint                  keycode,
                          GdkModifierType        state,
                          TcInboxPage           *self)
{
  GtkListBoxRow *row;

  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
    return GDK_EVENT_PROPAGATE;
  row = gtk_list_box_get_selected_row (self->conversation_list);
  if (row == NULL)
    row = gtk_list_box_get_row_at_index (self->conversation_list, 0);
  if (row == NULL)
    return GDK_EVENT_PROPAGATE;
  gtk_widget_grab_focus (GTK_WIDGET (row));
  return GDK_EVENT_STOP;
}

static GtkWidget *
build_list_pane (TcInboxPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *sidebar_button = gtk_button_new_from_icon_name ("go-previous-symbolic");
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *search_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (sidebar_button), "win.show-sidebar");
  gtk_widget_set_tooltip_text (sidebar_button, _("Show Sections"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (sidebar_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Show Sections"), -1);
  g_object_bind_property (self, "folded", sidebar_button, "visible", G_BINDING_SYNC_CREATE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), sidebar_button);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (_("Inbox"), NULL));
  g_object_bind_property (self->leaflet, "folded", header, "show-end-title-buttons", G_BINDING_SYNC_CREATE);
  gtk_box_append (GTK_BOX (box), header);

  self->search_entry = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  g_object_set (self->search_entry, "placeholder-text", _("Search names, numbers and messages"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Search conversations"), -1);
  gtk_widget_set_hexpand (GTK_WIDGET (self->search_entry), TRUE);
  gtk_widget_set_margin_start (search_box, 6);
  gtk_widget_set_margin_end (search_box, 6);
  gtk_widget_set_margin_top (search_box, 6);
  gtk_widget_set_margin_bottom (search_box, 6);
  gtk_box_append (GTK_BOX (search_box), GTK_WIDGET (self->search_entry));
  gtk_box_append (GTK_BOX (box), search_box);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (load_list), self);
  g_signal_connect_swapped (self->search_entry, "activate", G_CALLBACK (open_first), self);
  {
    GtkEventController *keys = gtk_event_controller_key_new ();

    g_signal_connect (keys, "key-pressed", G_CALLBACK (on_search_key_pressed_cb), self);
    gtk_widget_add_controller (GTK_WIDGET (self->search_entry), keys);
  }

  self->conversation_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_add_css_class (GTK_WIDGET (self->conversation_list), "navigation-sidebar");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->conversation_list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Conversations"), -1);
  g_signal_connect (self->conversation_list, "row-selected", G_CALLBACK (on_row_selected_cb), self);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->conversation_list));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);

  self->list_stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->list_stack), TRUE);
  gtk_stack_add_named (self->list_stack, scroller, "list");
  gtk_stack_add_named (self->list_stack,
                       status_page_new ("mail-unread-symbolic", _("No Conversations Yet"),
                                        _("When people answer your messages, their conversations "
                                          "appear here. STOP, HELP and keywords are answered for you.")),
                       "empty");
  gtk_stack_add_named (self->list_stack,
                       status_page_new ("edit-find-symbolic", _("No Matches"),
                                        _("No name, number or message matches the search")),
                       "no-results");
  gtk_stack_set_visible_child_name (self->list_stack, "empty");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->list_stack));

  gtk_widget_set_size_request (box, 300, -1);
  return box;
}

static void
on_back_clicked_cb (TcInboxPage *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
on_contact_popover_shown_cb (TcInboxPage *self)
{
  g_debug ("Showing the contact's tags and note");
  tc_inbox_contact_focus (self->contact_panel);
}

/* Closing the popover keeps what was typed in the note, and goes back to
 * the reply. */
static void
on_contact_popover_closed_cb (TcInboxPage *self)
{
  tc_inbox_contact_save_note (self->contact_panel);
  if (gtk_widget_get_sensitive (GTK_WIDGET (self->reply_entry)))
    gtk_widget_grab_focus (GTK_WIDGET (self->reply_entry));
}

/* Alt+Enter, as for properties elsewhere in GNOME. */
static void
show_contact_details (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  TcInboxPage *self = TC_INBOX_PAGE (widget);

  if (self->contact_id <= 0 || !gtk_widget_get_mapped (GTK_WIDGET (self->contact_button)))
    return;
  gtk_menu_button_popup (self->contact_button);
}

/* The contact's tags and note, in a popover of the thread's header. */
static GtkWidget *
build_contact_button (TcInboxPage *self)
{
  GtkWidget *popover = gtk_popover_new ();

  self->contact_panel = TC_INBOX_CONTACT (tc_inbox_contact_new ());
  gtk_popover_set_child (GTK_POPOVER (popover), GTK_WIDGET (self->contact_panel));
  g_signal_connect_swapped (popover, "show", G_CALLBACK (on_contact_popover_shown_cb), self);
  g_signal_connect_swapped (popover, "closed", G_CALLBACK (on_contact_popover_closed_cb), self);

  self->contact_button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_icon_name (self->contact_button, "avatar-default-symbolic");
  gtk_menu_button_set_popover (self->contact_button, popover);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->contact_button), _("Tags and Note (Alt+Enter)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->contact_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Tags and note on the contact"), -1);
  return GTK_WIDGET (self->contact_button);
}

static GtkWidget *
build_thread_pane (TcInboxPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *back = gtk_button_new_from_icon_name ("go-previous-symbolic");
  GtkWidget *thread_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *composer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  const char *channels[] = { N_("SMS"), N_("WhatsApp"), NULL };
  g_autoptr(GtkStringList) channel_model = gtk_string_list_new (NULL);

  gtk_widget_set_tooltip_text (back, _("Back to the Conversations"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (back), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Back to the Conversations"), -1);
  g_signal_connect_swapped (back, "clicked", G_CALLBACK (on_back_clicked_cb), self);
  g_object_bind_property (self->leaflet, "folded", back, "visible", G_BINDING_SYNC_CREATE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), back);
  self->thread_title = ADW_WINDOW_TITLE (adw_window_title_new ("", NULL));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->thread_title));
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), build_contact_button (self));
  gtk_box_append (GTK_BOX (box), header);

  self->thread_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->thread_list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->thread_list), "tc-thread");
  gtk_widget_set_margin_top (GTK_WIDGET (self->thread_list), 8);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->thread_list), 8);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->thread_list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Messages"), -1);
  self->thread_scroller = GTK_SCROLLED_WINDOW (gtk_scrolled_window_new ());
  gtk_scrolled_window_set_policy (self->thread_scroller, GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (self->thread_scroller, GTK_WIDGET (self->thread_list));
  gtk_widget_set_vexpand (GTK_WIDGET (self->thread_scroller), TRUE);
  gtk_box_append (GTK_BOX (thread_box), GTK_WIDGET (self->thread_scroller));
  gtk_box_append (GTK_BOX (thread_box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));

  for (guint i = 0; channels[i] != NULL; i++)
    gtk_string_list_append (channel_model, _(channels[i]));
  self->channel_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (channel_model)), NULL));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->channel_dropdown), _("Channel"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->channel_dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Reply on"), -1);
  g_signal_connect_swapped (self->channel_dropdown, "notify::selected", G_CALLBACK (on_channel_changed_cb), self);

  self->template_names = gtk_string_list_new (NULL);
  gtk_string_list_append (self->template_names, _("No template"));
  self->template_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (self->template_names)),
                                                              NULL));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->template_dropdown), _("Template"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->template_dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Template"), -1);
  g_signal_connect_swapped (self->template_dropdown, "notify::selected", G_CALLBACK (update_composer), self);

  self->reply_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->reply_entry), TRUE);
  gtk_entry_set_max_length (self->reply_entry, 1600);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->reply_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Reply"), -1);
  g_signal_connect_swapped (self->reply_entry, "changed", G_CALLBACK (update_composer), self);
  g_signal_connect_swapped (self->reply_entry, "activate", G_CALLBACK (send_reply), self);

  self->send_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Send")));
  gtk_widget_add_css_class (GTK_WIDGET (self->send_button), "suggested-action");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->send_button), _("Send the Reply (Enter)"));
  g_signal_connect_swapped (self->send_button, "clicked", G_CALLBACK (send_reply), self);

  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->channel_dropdown));
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->reply_entry));
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->template_dropdown));
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->send_button));

  self->window_label = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_xalign (self->window_label, 0);
  gtk_label_set_wrap (self->window_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->window_label), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->window_label), "dim-label");

  gtk_widget_set_margin_start (composer, 12);
  gtk_widget_set_margin_end (composer, 12);
  gtk_widget_set_margin_top (composer, 8);
  gtk_widget_set_margin_bottom (composer, 10);
  gtk_box_append (GTK_BOX (composer), row);
  gtk_box_append (GTK_BOX (composer), GTK_WIDGET (self->window_label));
  gtk_box_append (GTK_BOX (thread_box), composer);

  self->thread_stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->thread_stack), TRUE);
  gtk_stack_add_named (self->thread_stack,
                       status_page_new ("chat-message-new-symbolic", _("No Conversation Selected"),
                                        _("Pick a conversation to read it and reply")),
                       "none");
  gtk_stack_add_named (self->thread_stack, thread_box, "thread");
  gtk_stack_set_visible_child_name (self->thread_stack, "none");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->thread_stack));

  gtk_widget_set_hexpand (box, TRUE);
  return box;
}

/* ------------------------------------------------------------------------
 * GObject
 */

static void
tc_inbox_page_dispose (GObject *object)
{
  TcInboxPage *self = TC_INBOX_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->list_cancellable);
  g_cancellable_cancel (self->thread_cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tc_inbox_page_parent_class)->dispose (object);
}

static void
tc_inbox_page_finalize (GObject *object)
{
  TcInboxPage *self = TC_INBOX_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->list_cancellable);
  g_clear_object (&self->thread_cancellable);
  g_clear_object (&self->repository);
  g_clear_object (&self->send_service);
  g_clear_object (&self->template_names);
  g_clear_pointer (&self->conversation, tc_conversation_free);
  g_free (self->reply_key);

  G_OBJECT_CLASS (tc_inbox_page_parent_class)->finalize (object);
}

static void
tc_inbox_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TcInboxPage *self = TC_INBOX_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;

    case PROP_UNREAD:
      g_value_set_uint (value, self->unread);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_inbox_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TcInboxPage *self = TC_INBOX_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      tc_inbox_page_set_folded (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_inbox_page_class_init (TcInboxPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tc_inbox_page_dispose;
  object_class->finalize = tc_inbox_page_finalize;
  object_class->get_property = tc_inbox_page_get_property;
  object_class->set_property = tc_inbox_page_set_property;
  widget_class->map = tc_inbox_page_map;
  widget_class->unmap = tc_inbox_page_unmap;

  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNREAD] =
    g_param_spec_uint ("unread", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "inbox.contact-details", NULL, show_contact_details);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_ALT_MASK, "inbox.contact-details", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_ALT_MASK, "inbox.contact-details", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "tcinboxpage");
}

static void
tc_inbox_page_init (TcInboxPage *self)
{
  self->cancellable = g_cancellable_new ();

  self->leaflet = ADW_LEAFLET (adw_leaflet_new ());
  adw_leaflet_set_can_navigate_back (self->leaflet, TRUE);
  adw_leaflet_set_transition_type (self->leaflet, ADW_LEAFLET_TRANSITION_TYPE_SLIDE);
  gtk_widget_set_parent (GTK_WIDGET (self->leaflet), GTK_WIDGET (self));

  self->list_pane = build_list_pane (self);
  self->thread_pane = build_thread_pane (self);
  adw_leaflet_append (self->leaflet, self->list_pane);
  adw_leaflet_page_set_navigatable (adw_leaflet_append (self->leaflet, gtk_separator_new (GTK_ORIENTATION_VERTICAL)),
                                 FALSE);
  adw_leaflet_append (self->leaflet, self->thread_pane);
  update_composer (self);
}

void
tc_inbox_page_set_repository (TcInboxPage  *self,
                              TcRepository *repository)
{
  g_return_if_fail (TC_IS_INBOX_PAGE (self));
  g_return_if_fail (!repository || TC_IS_REPOSITORY (repository));

  if (!g_set_object (&self->repository, repository))
    return;
  self->contact_id = 0;
  tc_inbox_contact_set_contact (self->contact_panel, NULL, 0);
  g_clear_pointer (&self->conversation, tc_conversation_free);
  gtk_stack_set_visible_child_name (self->thread_stack, "none");
  load_templates (self);
  load_list (self);
}

void
tc_inbox_page_set_send_service (TcInboxPage   *self,
                                TcSendService *service)
{
  g_return_if_fail (TC_IS_INBOX_PAGE (self));

  if (self->send_service != NULL)
    g_signal_handlers_disconnect_by_data (self->send_service, self);
  if (!g_set_object (&self->send_service, service) || service == NULL)
    return;
  g_signal_connect_object (service, "message-received", G_CALLBACK (on_message_received_cb), self,
                           G_CONNECT_SWAPPED);
}

void
tc_inbox_page_show_conversation (TcInboxPage *self,
                                 gint64       contact_id)
{
  g_return_if_fail (TC_IS_INBOX_PAGE (self));
  g_return_if_fail (contact_id > 0);

  gtk_list_box_unselect_all (self->conversation_list);
  select_contact (self, contact_id);
  load_list (self);
}

void
tc_inbox_page_focus_search (TcInboxPage *self)
{
  g_return_if_fail (TC_IS_INBOX_PAGE (self));

  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

guint
tc_inbox_page_get_unread (TcInboxPage *self)
{
  g_return_val_if_fail (TC_IS_INBOX_PAGE (self), 0);

  return self->unread;
}

gint64
tc_inbox_page_get_contact_id (TcInboxPage *self)
{
  g_return_val_if_fail (TC_IS_INBOX_PAGE (self), 0);

  return self->contact_id;
}

gboolean
tc_inbox_page_get_folded (TcInboxPage *self)
{
  g_return_val_if_fail (TC_IS_INBOX_PAGE (self), FALSE);

  return self->folded;
}

void
tc_inbox_page_set_folded (TcInboxPage *self,
                          gboolean     folded)
{
  g_return_if_fail (TC_IS_INBOX_PAGE (self));

  folded = !!folded;
  if (self->folded == folded)
    return;
  self->folded = folded;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDED]);
}
