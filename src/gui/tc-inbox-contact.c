/* tc-inbox-contact.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-inbox-contact"

#include "config.h"

#include <glib/gi18n.h>

#include "tc-contact.h"
#include "tc-inbox-contact.h"

struct _TcInboxContact
{
  GtkWidget     parent_instance;

  GtkWidget    *box;
  GtkFlowBox   *tags_box;
  GtkLabel     *no_tags_label;
  GtkEntry     *tag_entry;
  GtkButton    *add_button;
  GtkTextView  *note_view;
  GtkButton    *save_button;
  GtkLabel     *status_label;

  TcRepository *repository;
  gint64        contact_id;
  GCancellable *cancellable;
  /* The note was typed and not saved yet. */
  gboolean      note_dirty;
  /* The note's text is being set from the contact: not a change. */
  gboolean      showing;
};

G_DEFINE_FINAL_TYPE (TcInboxContact, tc_inbox_contact, GTK_TYPE_WIDGET)

typedef enum
{
  EDIT_ADD_TAGS,
  EDIT_REMOVE_TAG,
  EDIT_SET_NOTE,
} EditKind;

typedef struct
{
  TcInboxContact *self;
  gint64          contact_id;
  EditKind        kind;
  char           *text;
  TcContact      *contact;
} Edit;

static void
edit_free (Edit *edit)
{
  g_clear_object (&edit->self);
  g_clear_object (&edit->contact);
  g_free (edit->text);
  g_free (edit);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Edit, edit_free)

static void apply_edit (TcInboxContact *self,
                        EditKind        kind,
                        const char     *text);

static void
set_status (TcInboxContact *self,
            const char     *text,
            gboolean        error)
{
  gtk_label_set_label (self->status_label, text);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static char *
dup_note_text (TcInboxContact *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->note_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
update_buttons (TcInboxContact *self)
{
  gboolean has_contact = self->contact_id > 0;
  const char *tag = gtk_editable_get_text (GTK_EDITABLE (self->tag_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (tag));

  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), has_contact && stripped[0] != '\0');
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), has_contact && self->note_dirty);
}

static void
on_remove_tag_clicked_cb (GtkButton      *button,
                          TcInboxContact *self)
{
  const char *tag = g_object_get_data (G_OBJECT (button), "tag");

  apply_edit (self, EDIT_REMOVE_TAG, tag);
}

static gboolean
on_tag_key_pressed_cb (GtkEventControllerKey *controller,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       TcInboxContact        *self)
{
  GtkWidget *flow_child = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  if (keyval != GDK_KEY_Delete && keyval != GDK_KEY_KP_Delete && keyval != GDK_KEY_BackSpace)
    return GDK_EVENT_PROPAGATE;
  apply_edit (self, EDIT_REMOVE_TAG, g_object_get_data (G_OBJECT (flow_child), "tag"));
  /* Focus goes back to the entry while the tags are shown again. */
  gtk_widget_grab_focus (GTK_WIDGET (self->tag_entry));
  return GDK_EVENT_STOP;
}

static GtkWidget *
tag_pill_new (TcInboxContact *self,
              const char     *tag)
{
  GtkWidget *pill = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
  GtkWidget *label = gtk_label_new (tag);
  GtkWidget *remove = gtk_button_new_from_icon_name ("window-close-symbolic");
  /* Translators: %s is a tag, e.g. "vip" */
  g_autofree char *name = g_strdup_printf (_("Remove the tag “%s”"), tag);

  gtk_widget_add_css_class (pill, "tag-pill");
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_add_css_class (remove, "circular");
  /* The tag itself takes the keyboard focus (Delete removes it). */
  gtk_widget_set_focusable (remove, FALSE);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_object_set_data_full (G_OBJECT (remove), "tag", g_strdup (tag), g_free);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_tag_clicked_cb), self);
  gtk_box_append (GTK_BOX (pill), label);
  gtk_box_append (GTK_BOX (pill), remove);
  return pill;
}

/* Shows @contact; the note only when @note (the one being typed is kept
 * otherwise). */
static void
show_contact (TcInboxContact *self,
              TcContact      *contact,
              gboolean        note)
{
  const char * const *tags = contact != NULL ? tc_contact_get_tags (contact) : NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tags_box))) != NULL)
    gtk_flow_box_remove (self->tags_box, child);
  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    {
      GtkWidget *pill = tag_pill_new (self, tags[i]);
      GtkWidget *flow_child;
      GtkEventController *keys = gtk_event_controller_key_new ();
      /* Translators: %s is a tag; said by a screen reader on the focused tag */
      g_autofree char *name = g_strdup_printf (_("Tag “%s”; Delete removes it"), tags[i]);

      gtk_flow_box_append (self->tags_box, pill);
      /* By keyboard: arrows move between the tags, Delete removes one. */
      flow_child = gtk_widget_get_parent (pill);
      g_object_set_data_full (G_OBJECT (flow_child), "tag", g_strdup (tags[i]), g_free);
      g_signal_connect (keys, "key-pressed", G_CALLBACK (on_tag_key_pressed_cb), self);
      gtk_widget_add_controller (flow_child, keys);
      gtk_accessible_update_property (GTK_ACCESSIBLE (flow_child), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->tags_box), tags != NULL && tags[0] != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->no_tags_label), tags == NULL || tags[0] == NULL);

  if (note)
    {
      const char *text = contact != NULL ? tc_contact_get_attribute (contact, TC_INBOX_CONTACT_NOTES) : NULL;

      self->showing = TRUE;
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->note_view), text != NULL ? text : "", -1);
      self->showing = FALSE;
      self->note_dirty = FALSE;
    }
  update_buttons (self);
}

static void
on_contact_saved_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Edit) edit = user_data;
  TcInboxContact *self = edit->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *tags = NULL;
  const char *note;

  if (!tc_repository_save_contact_finish (TC_REPOSITORY (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Translators: %s says what went wrong */
          g_autofree char *text = g_strdup_printf (_("Not saved: %s. Try again."), error->message);

          set_status (self, text, TRUE);
          if (edit->kind == EDIT_SET_NOTE && edit->contact_id == self->contact_id)
            {
              self->note_dirty = TRUE;
              update_buttons (self);
            }
        }
      return;
    }

  tags = g_strjoinv (",", (char **) tc_contact_get_tags (edit->contact));
  note = tc_contact_get_attribute (edit->contact, TC_INBOX_CONTACT_NOTES);
  g_debug ("Saved contact %" G_GINT64_FORMAT ": tags [%s], a note of %ld characters",
           edit->contact_id, tags, note != NULL ? g_utf8_strlen (note, -1) : 0L);
  if (edit->contact_id != self->contact_id)
    return;

  set_status (self, edit->kind == EDIT_SET_NOTE ? _("Note saved") : _("Tags saved"), FALSE);
  /* The note shown is kept when it was typed on since this edit began. */
  show_contact (self, edit->contact, !self->note_dirty);
}

static void
on_edit_contact_read_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  Edit *edit = user_data;
  TcInboxContact *self = edit->self;
  g_autoptr(GError) error = NULL;

  edit->contact = tc_repository_get_contact_finish (TC_REPOSITORY (object), result, &error);
  if (edit->contact == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *text = g_strdup_printf (_("Not saved: %s. Try again."), error->message);

          set_status (self, text, TRUE);
        }
      edit_free (edit);
      return;
    }

  switch (edit->kind)
    {
    case EDIT_ADD_TAGS:
      {
        g_auto(GStrv) tags = g_strsplit (edit->text, ",", -1);

        for (guint i = 0; tags[i] != NULL; i++)
          {
            g_strstrip (tags[i]);
            if (tags[i][0] != '\0')
              tc_contact_add_tag (edit->contact, tags[i]);
          }
      }
      break;

    case EDIT_REMOVE_TAG:
      tc_contact_remove_tag (edit->contact, edit->text);
      break;

    case EDIT_SET_NOTE:
      {
        g_autofree char *note = g_strstrip (g_strdup (edit->text));

        tc_contact_set_attribute (edit->contact, TC_INBOX_CONTACT_NOTES, note[0] != '\0' ? note : NULL);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  tc_repository_save_contact_async (TC_REPOSITORY (object), edit->contact, self->cancellable,
                                    on_contact_saved_cb, edit);
}

static void
apply_edit (TcInboxContact *self,
            EditKind        kind,
            const char     *text)
{
  Edit *edit;

  if (self->repository == NULL || self->contact_id <= 0)
    return;

  edit = g_new0 (Edit, 1);
  edit->self = g_object_ref (self);
  edit->contact_id = self->contact_id;
  edit->kind = kind;
  edit->text = g_strdup (text);
  set_status (self, _("Saving…"), FALSE);
  tc_repository_get_contact_async (self->repository, self->contact_id, self->cancellable,
                                   on_edit_contact_read_cb, edit);
}

static void
on_contact_loaded_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(TcInboxContact) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcContact) contact = NULL;

  contact = tc_repository_get_contact_finish (TC_REPOSITORY (object), result, &error);
  if (contact == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Translators: %s says what went wrong */
          g_autofree char *text = g_strdup_printf (_("The contact could not be read: %s"), error->message);

          set_status (self, text, TRUE);
        }
      return;
    }
  if (tc_contact_get_id (contact) != self->contact_id)
    return;
  show_contact (self, contact, TRUE);
  g_debug ("Showing the tags and note of contact %" G_GINT64_FORMAT, self->contact_id);
}

static void
add_tags (TcInboxContact *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->tag_entry))));

  if (text[0] == '\0' || self->contact_id <= 0)
    return;
  apply_edit (self, EDIT_ADD_TAGS, text);
  gtk_editable_set_text (GTK_EDITABLE (self->tag_entry), "");
}

static void
on_note_changed_cb (TcInboxContact *self)
{
  if (self->showing)
    return;
  self->note_dirty = TRUE;
  set_status (self, "", FALSE);
  update_buttons (self);
}

/* Ctrl+Enter in the note. */
static gboolean
on_save_shortcut_cb (GtkWidget *widget,
                     GVariant  *args,
                     gpointer   user_data)
{
  tc_inbox_contact_save_note (TC_INBOX_CONTACT (user_data));
  return TRUE;
}

/* ------------------------------------------------------------------------
 * GObject
 */

static void
tc_inbox_contact_dispose (GObject *object)
{
  TcInboxContact *self = TC_INBOX_CONTACT (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (tc_inbox_contact_parent_class)->dispose (object);
}

static void
tc_inbox_contact_finalize (GObject *object)
{
  TcInboxContact *self = TC_INBOX_CONTACT (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->repository);

  G_OBJECT_CLASS (tc_inbox_contact_parent_class)->finalize (object);
}

static void
tc_inbox_contact_class_init (TcInboxContactClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tc_inbox_contact_dispose;
  object_class->finalize = tc_inbox_contact_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "tcinboxcontact");
}

static GtkWidget *
heading_new (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  return label;
}

static void
tc_inbox_contact_init (TcInboxContact *self)
{
  GtkWidget *add_row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *note_scroller = gtk_scrolled_window_new ();
  GtkWidget *save_row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *tags_heading = heading_new (_("Tags"));
  GtkWidget *note_heading = heading_new (_("Note"));
  GtkEventController *keys;

  self->cancellable = g_cancellable_new ();
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_widget_set_size_request (self->box, 320, -1);

  gtk_box_append (GTK_BOX (self->box), tags_heading);
  self->no_tags_label = GTK_LABEL (gtk_label_new (_("No tags yet. Tags let you pick people for a "
                                                    "campaign or a segment.")));
  gtk_label_set_wrap (self->no_tags_label, TRUE);
  gtk_label_set_xalign (self->no_tags_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->no_tags_label), "dim-label");
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->no_tags_label));

  self->tags_box = GTK_FLOW_BOX (gtk_flow_box_new ());
  gtk_flow_box_set_selection_mode (self->tags_box, GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (self->tags_box, 8);
  gtk_flow_box_set_column_spacing (self->tags_box, 4);
  gtk_flow_box_set_row_spacing (self->tags_box, 4);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->tags_box), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Tags"), -1);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->tags_box));

  self->tag_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->tag_entry), TRUE);
  gtk_entry_set_placeholder_text (self->tag_entry, _("New tag, such as vip"));
  gtk_entry_set_max_length (self->tag_entry, 200);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->tag_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("New tag"), -1);
  g_signal_connect_swapped (self->tag_entry, "changed", G_CALLBACK (update_buttons), self);
  g_signal_connect_swapped (self->tag_entry, "activate", G_CALLBACK (add_tags), self);
  self->add_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Add Tag")));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->add_button), _("Add the tag (Enter); commas separate several"));
  g_signal_connect_swapped (self->add_button, "clicked", G_CALLBACK (add_tags), self);
  gtk_box_append (GTK_BOX (add_row), GTK_WIDGET (self->tag_entry));
  gtk_box_append (GTK_BOX (add_row), GTK_WIDGET (self->add_button));
  gtk_box_append (GTK_BOX (self->box), add_row);

  gtk_widget_set_margin_top (note_heading, 6);
  gtk_box_append (GTK_BOX (self->box), note_heading);
  self->note_view = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_text_view_set_wrap_mode (self->note_view, GTK_WRAP_WORD_CHAR);
  /* Tab moves on, as everywhere else in the popover. */
  gtk_text_view_set_accepts_tab (self->note_view, FALSE);
  gtk_text_view_set_top_margin (self->note_view, 6);
  gtk_text_view_set_bottom_margin (self->note_view, 6);
  gtk_text_view_set_left_margin (self->note_view, 6);
  gtk_text_view_set_right_margin (self->note_view, 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->note_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Note on the contact"), -1);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->note_view), "changed",
                            G_CALLBACK (on_note_changed_cb), self);
  keys = GTK_EVENT_CONTROLLER (gtk_shortcut_controller_new ());
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_CONTROL_MASK),
                                                          gtk_callback_action_new (on_save_shortcut_cb, self, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self->note_view), keys);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (note_scroller), GTK_WIDGET (self->note_view));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (note_scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_size_request (note_scroller, -1, 110);
  gtk_widget_add_css_class (note_scroller, "card");
  gtk_box_append (GTK_BOX (self->box), note_scroller);

  self->status_label = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_xalign (self->status_label, 0);
  gtk_label_set_wrap (self->status_label, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->status_label), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "caption");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Saved or not"), -1);
  self->save_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Save Note")));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->save_button), _("Save the note (Ctrl+Enter)"));
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (tc_inbox_contact_save_note), self);
  gtk_box_append (GTK_BOX (save_row), GTK_WIDGET (self->status_label));
  gtk_box_append (GTK_BOX (save_row), GTK_WIDGET (self->save_button));
  gtk_box_append (GTK_BOX (self->box), save_row);

  show_contact (self, NULL, TRUE);
}

/* ------------------------------------------------------------------------
 * Public API
 */

GtkWidget *
tc_inbox_contact_new (void)
{
  return g_object_new (TC_TYPE_INBOX_CONTACT, NULL);
}

void
tc_inbox_contact_set_contact (TcInboxContact *self,
                              TcRepository   *repository,
                              gint64          contact_id)
{
  g_return_if_fail (TC_IS_INBOX_CONTACT (self));
  g_return_if_fail (!repository || TC_IS_REPOSITORY (repository));

  if (self->contact_id == contact_id && self->repository == repository)
    return;

  /* A note typed for the previous contact is saved before it goes. */
  tc_inbox_contact_save_note (self);
  g_set_object (&self->repository, repository);
  self->contact_id = contact_id;
  set_status (self, "", FALSE);
  show_contact (self, NULL, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->tag_entry), "");
  if (repository != NULL && contact_id > 0)
    tc_repository_get_contact_async (repository, contact_id, self->cancellable, on_contact_loaded_cb,
                                     g_object_ref (self));
}

void
tc_inbox_contact_save_note (TcInboxContact *self)
{
  g_autofree char *text = NULL;

  g_return_if_fail (TC_IS_INBOX_CONTACT (self));

  if (!self->note_dirty || self->contact_id <= 0)
    return;
  text = dup_note_text (self);
  self->note_dirty = FALSE;
  update_buttons (self);
  apply_edit (self, EDIT_SET_NOTE, text);
}

void
tc_inbox_contact_focus (TcInboxContact *self)
{
  g_return_if_fail (TC_IS_INBOX_CONTACT (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->tag_entry));
}
