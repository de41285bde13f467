/* tc-senders-page.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-senders-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tc-gui-util.h"
#include "tc-repository.h"
#include "tc-sender-dialog.h"
#include "tc-senders-page.h"
#include "tc-senders.h"
#include "tc-preferences-window.h"

struct _TcSendersPage
{
  AdwPreferencesPage   parent_instance;

  /* Template widgets */
  AdwPreferencesGroup *senders_group;

  TcRepository        *repository;
  GCancellable        *cancellable;
  /* The rows shown, to take them out again. */
  GPtrArray           *rows;
};

G_DEFINE_FINAL_TYPE (TcSendersPage, tc_senders_page, ADW_TYPE_PREFERENCES_PAGE)

static void load (TcSendersPage *self);

static void
toast (TcSendersPage *self,
       const char    *text)
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

static const char *
type_name (TcSenderType type)
{
  switch (type)
    {
    case TC_SENDER_TYPE_LONG_CODE:
      return _("Long code");
    case TC_SENDER_TYPE_TOLL_FREE:
      return _("Toll-free");
    case TC_SENDER_TYPE_SHORT_CODE:
      return _("Short code");
    case TC_SENDER_TYPE_WHATSAPP:
      return _("WhatsApp");
    default:
      return "";
    }
}

static const char *
use_name (TcSenderUse use)
{
  switch (use)
    {
    case TC_SENDER_USE_TRANSACTIONAL:
      return _("Transactional only");
    case TC_SENDER_USE_PROMOTIONAL:
      return _("Promotional only");
    case TC_SENDER_USE_BOTH:
      return _("Transactional and promotional");
    default:
      return "";
    }
}

/* “Long code · Transactional only · 1 per second · 2,000 a day · US, CA” */
static char *
describe_sender (const TcSender *sender)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append_printf (text, "%s · %s · ", type_name (sender->type), use_name (sender->use));

  if (sender->mps > 0)
    {
      char mps[G_ASCII_DTOSTR_BUF_SIZE];

      /* Translators: throughput, “1 per second” */
      g_snprintf (mps, sizeof mps, "%g", sender->mps);
      g_string_append_printf (text, _("%s per second"), mps);
    }
  else
    g_string_append (text, _("no speed limit"));

  g_string_append (text, " · ");
  if (sender->daily_cap > 0)
    {
      g_autofree char *cap = tc_gui_format_number (sender->daily_cap);

      /* Translators: a daily cap, “2,000 a day” */
      g_string_append_printf (text, _("%s a day"), cap);
    }
  else
    g_string_append (text, _("no daily cap"));

  g_string_append (text, " · ");
  if (sender->countries != NULL && sender->countries[0] != NULL)
    {
      g_autofree char *countries = g_strjoinv (", ", sender->countries);

      g_string_append (text, countries);
    }
  else
    g_string_append (text, _("any country"));

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
on_removed_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(TcSendersPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tc_senders_remove_finish (TC_REPOSITORY (object), result, &error))
    {
      g_autofree char *reason = tc_gui_describe_error (error);
      g_autofree char *text = g_strdup_printf (_("Could not remove the sender: %s"), reason);

      toast (self, text);
    }

  load (self);
}

static void
on_remove_clicked_cb (GtkButton     *button,
                      TcSendersPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "sender-id");

  g_assert (id != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  tc_senders_remove_async (self->repository, id, NULL, on_removed_cb, g_object_ref (self));
}

static void
clear_rows (TcSendersPage *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->senders_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
}

static void
add_row (TcSendersPage *self,
         GtkWidget     *row)
{
  adw_preferences_group_add (self->senders_group, row);
  g_ptr_array_add (self->rows, row);
}

static void
on_listed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TcSendersPage) self = user_data;
  g_autoptr(GPtrArray) senders = NULL;
  g_autoptr(GError) error = NULL;

  senders = tc_senders_list_finish (TC_REPOSITORY (object), result, &error);
  if (senders == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  clear_rows (self);

  if (senders == NULL)
    {
      g_autofree char *text = tc_gui_describe_error (error);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("The senders could not be read"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
      add_row (self, row);
      return;
    }

  if (senders->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No senders registered"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("Messages go at the cautious speed of each sender’s type until you add it here."));
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      add_row (self, row);
      return;
    }

  for (guint i = 0; i < senders->len; i++)
    {
      const TcSender *sender = g_ptr_array_index (senders, i);
      g_autofree char *subtitle = describe_sender (sender);
      g_autofree char *tooltip = NULL;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), sender->id);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);

      button = gtk_button_new_from_icon_name ("user-trash-symbolic");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      /* Translators: %s is a sender's number or id */
      tooltip = g_strdup_printf (_("Remove %s"), sender->id);
      gtk_widget_set_tooltip_text (button, tooltip);
      g_object_set_data_full (G_OBJECT (button), "sender-id", g_strdup (sender->id), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_remove_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

      add_row (self, row);
    }
}

static void
load (TcSendersPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  tc_senders_list_async (self->repository, self->cancellable, on_listed_cb, g_object_ref (self));
}

static void
on_sender_saved_cb (TcSendersPage *self,
                    const char    *id)
{
  g_autofree char *text = NULL;

  /* Translators: %s is a sender's number or id */
  text = g_strdup_printf (_("Added %s"), id);
  toast (self, text);
  load (self);
}

static void
on_add_clicked_cb (TcSendersPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  TcSenderDialog *dialog;

  dialog = tc_sender_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->repository);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_sender_saved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
tc_senders_page_dispose (GObject *object)
{
  TcSendersPage *self = (TcSendersPage *)object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TC_TYPE_SENDERS_PAGE);
  g_clear_object (&self->repository);

  G_OBJECT_CLASS (tc_senders_page_parent_class)->dispose (object);
}

static void
tc_senders_page_finalize (GObject *object)
{
  TcSendersPage *self = (TcSendersPage *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (tc_senders_page_parent_class)->finalize (object);
}

static void
tc_senders_page_class_init (TcSendersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tc_senders_page_dispose;
  object_class->finalize = tc_senders_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/textcast/Textcast/tc-senders-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TcSendersPage, senders_group);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked_cb);
}

static void
tc_senders_page_init (TcSendersPage *self)
{
  self->rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

TcSendersPage *
tc_senders_page_new (TcRepository *repository)
{
  TcSendersPage *self;

  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);

  self = g_object_new (TC_TYPE_SENDERS_PAGE, NULL);
  self->repository = g_object_ref (repository);
  load (self);

  return self;
}
