/* tc-sender-dialog.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-sender-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "tc-gui-util.h"
#include "tc-repository.h"
#include "tc-sender-dialog.h"
#include "tc-senders.h"

/* The rows of the "Registered for" dropdown, in order. */
static const TcSenderUse uses[] = {
  TC_SENDER_USE_BOTH,
  TC_SENDER_USE_TRANSACTIONAL,
  TC_SENDER_USE_PROMOTIONAL,
};

struct _TcSenderDialog
{
  AdwWindow      parent_instance;

  /* Template widgets */
  GtkWidget     *add_button;
  AdwEntryRow   *id_row;
  AdwComboRow   *type_row;
  AdwComboRow   *use_row;
  GtkSpinButton *mps_spin;
  GtkSpinButton *cap_spin;
  AdwEntryRow   *countries_row;
  GtkLabel      *error_label;

  TcRepository  *repository;
  gboolean       saving;
  /* The type was chosen by hand: typing the id no longer guesses it. */
  gboolean       type_chosen;
  gboolean       guessing;
};

G_DEFINE_FINAL_TYPE (TcSenderDialog, tc_sender_dialog, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (TcSenderDialog *self,
            const char     *text)
{
  gtk_label_set_text (self->error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
}

static void
set_defaults_for_type (TcSenderDialog *self,
                       TcSenderType    type)
{
  /* One id of each type, for the core's table of conservative limits
   * (what Textcast assumes for an unregistered sender): a sensible start. */
  static const char * const examples[] = {
    [TC_SENDER_TYPE_LONG_CODE] = "+12025550100",
    [TC_SENDER_TYPE_TOLL_FREE] = "+18005550100",
    [TC_SENDER_TYPE_SHORT_CODE] = "55555",
    [TC_SENDER_TYPE_WHATSAPP] = "100000000000000",
  };
  g_autoptr(TcSender) defaults = NULL;

  if ((guint) type >= G_N_ELEMENTS (examples))
    return;

  defaults = tc_sender_new_unregistered (examples[type],
                                         type == TC_SENDER_TYPE_WHATSAPP ? TC_CHANNEL_WHATSAPP : TC_CHANNEL_SMS);
  if (defaults->type != type)
    return;
  gtk_spin_button_set_value (self->mps_spin, defaults->mps);
  gtk_spin_button_set_value (self->cap_spin, defaults->daily_cap);
}

static void
on_type_changed_cb (TcSenderDialog *self)
{
  if (!self->guessing)
    self->type_chosen = TRUE;
  set_defaults_for_type (self, adw_combo_row_get_selected (self->type_row));
}

static void
on_id_changed_cb (TcSenderDialog *self)
{
  g_autofree char *id = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->id_row))));

  gtk_widget_set_sensitive (self->add_button, !self->saving && id[0] != '\0');

  if (!self->type_chosen && id[0] != '\0')
    {
      TcSenderType type = tc_sender_guess_type (id, TC_CHANNEL_SMS);

      self->guessing = TRUE;
      adw_combo_row_set_selected (self->type_row, type);
      self->guessing = FALSE;
    }
}

static void
on_saved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TcSenderDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  self->saving = FALSE;
  gtk_widget_set_sensitive (self->add_button, TRUE);

  if (!tc_senders_save_finish (TC_REPOSITORY (object), result, &error))
    {
      g_autofree char *reason = tc_gui_describe_error (error);
      g_autofree char *text = g_strdup_printf (_("The sender was not added. %s"), reason);

      show_error (self, text);
      return;
    }

  id = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->id_row))));
  g_signal_emit (self, signals[SAVED], 0, id);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_add_button_clicked_cb (TcSenderDialog *self)
{
  g_autofree char *id = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->id_row))));
  g_autofree char *countries = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->countries_row)));
  g_auto(GStrv) parts = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(TcSender) sender = NULL;
  guint type = adw_combo_row_get_selected (self->type_row);
  guint use = adw_combo_row_get_selected (self->use_row);

  if (self->saving)
    return;
  if (id[0] == '\0')
    {
      show_error (self, _("Type the sender’s number, short code or WhatsApp phone-number id."));
      gtk_widget_grab_focus (GTK_WIDGET (self->id_row));
      return;
    }

  gtk_spin_button_update (self->mps_spin);
  gtk_spin_button_update (self->cap_spin);

  sender = tc_sender_new (id,
                          type <= TC_SENDER_TYPE_WHATSAPP ? (TcSenderType) type : TC_SENDER_TYPE_LONG_CODE,
                          use < G_N_ELEMENTS (uses) ? uses[use] : TC_SENDER_USE_BOTH);
  sender->mps = gtk_spin_button_get_value (self->mps_spin);
  sender->daily_cap = (guint) gtk_spin_button_get_value_as_int (self->cap_spin);
  sender->registered = TRUE;

  /* "US, ca" or "US CA": the core checks each code. */
  g_strdelimit (countries, " ;", ',');
  parts = g_strsplit (countries, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (parts[i][0] != '\0')
        {
          g_autofree char *code = g_ascii_strup (parts[i], -1);

          g_strv_builder_add (builder, code);
        }
    }
  g_strfreev (sender->countries);
  sender->countries = g_strv_builder_end (builder);

  show_error (self, NULL);
  self->saving = TRUE;
  gtk_widget_set_sensitive (self->add_button, FALSE);
  tc_senders_save_async (self->repository, sender, NULL, on_saved_cb, g_object_ref (self));
}

static void
tc_sender_dialog_dispose (GObject *object)
{
  TcSenderDialog *self = (TcSenderDialog *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), TC_TYPE_SENDER_DIALOG);
  g_clear_object (&self->repository);

  G_OBJECT_CLASS (tc_sender_dialog_parent_class)->dispose (object);
}

static void
tc_sender_dialog_class_init (TcSenderDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tc_sender_dialog_dispose;

  /**
   * TcSenderDialog::saved:
   * @id: the sender's id as typed
   */
  signals[SAVED] = g_signal_new ("saved",
                                 G_TYPE_FROM_CLASS (klass),
                                 G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/textcast/Textcast/tc-sender-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TcSenderDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, TcSenderDialog, id_row);
  gtk_widget_class_bind_template_child (widget_class, TcSenderDialog, type_row);
  gtk_widget_class_bind_template_child (widget_class, TcSenderDialog, use_row);
  gtk_widget_class_bind_template_child (widget_class, TcSenderDialog, mps_spin);
  gtk_widget_class_bind_template_child (widget_class, TcSenderDialog, cap_spin);
  gtk_widget_class_bind_template_child (widget_class, TcSenderDialog, countries_row);
  gtk_widget_class_bind_template_child (widget_class, TcSenderDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_add_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_id_changed_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tc_sender_dialog_init (TcSenderDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  set_defaults_for_type (self, TC_SENDER_TYPE_LONG_CODE);
  g_signal_connect_object (self->type_row, "notify::selected",
                           G_CALLBACK (on_type_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->id_row));
}

TcSenderDialog *
tc_sender_dialog_new (GtkWindow    *parent,
                      TcRepository *repository)
{
  TcSenderDialog *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);

  self = g_object_new (TC_TYPE_SENDER_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->repository = g_object_ref (repository);

  return self;
}
