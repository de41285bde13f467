/* tc-inbox-contact.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The contact's tags and note, beside an Inbox conversation (in a popover
 * of the thread's header bar). Tags are the contact's own tags; the note
 * is the contact's custom attribute "notes" (TC_INBOX_CONTACT_NOTES), so
 * it is exported, searched and shown with the other attributes. Every
 * change reads the contact again, applies itself and saves it on the
 * repository's writer: an edit made elsewhere meanwhile is kept.
 */

#pragma once

#include <adwaita.h>

#include "tc-repository.h"

G_BEGIN_DECLS

/* The custom attribute that holds the note written in the Inbox. */
#define TC_INBOX_CONTACT_NOTES "notes"

#define TC_TYPE_INBOX_CONTACT (tc_inbox_contact_get_type())

G_DECLARE_FINAL_TYPE (TcInboxContact, tc_inbox_contact, TC, INBOX_CONTACT, GtkWidget)

GtkWidget *tc_inbox_contact_new         (void);
/* Shows contact @contact_id of @repository (read again); 0 shows nothing. */
void       tc_inbox_contact_set_contact (TcInboxContact *self,
                                         TcRepository   *repository,
                                         gint64          contact_id);
/* Saves the note when it was changed and not saved yet. */
void       tc_inbox_contact_save_note   (TcInboxContact *self);
/* Focuses the new-tag entry. */
void       tc_inbox_contact_focus       (TcInboxContact *self);

G_END_DECLS
