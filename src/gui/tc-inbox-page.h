/* tc-inbox-page.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Inbox section: conversations with the people who wrote (tc-inbox.h)
 * beside the selected one's thread, and a reply bar (SMS whenever they
 * consented, WhatsApp free text inside the 24-hour window, a template
 * after it). Reads run on the repository's reader; the lists are read
 * again when a message comes in ("message-received" of the send service),
 * after a reply, and every few seconds while shown (statuses move on).
 *
 * Properties: "folded" (the window's sidebar is hidden: a button shows
 * it), "unread" (unread messages in the workspace, for the sidebar).
 */

#pragma once

#include <adwaita.h>

#include "tc-repository.h"
#include "tc-send-service.h"

G_BEGIN_DECLS

#define TC_TYPE_INBOX_PAGE (tc_inbox_page_get_type())

G_DECLARE_FINAL_TYPE (TcInboxPage, tc_inbox_page, TC, INBOX_PAGE, GtkWidget)

void      tc_inbox_page_set_repository    (TcInboxPage   *self,
                                           TcRepository  *repository);
void      tc_inbox_page_set_send_service  (TcInboxPage   *self,
                                           TcSendService *service);
/* Selects (and reads) @contact_id's conversation, loading it when the
 * list does not show it. */
void      tc_inbox_page_show_conversation (TcInboxPage   *self,
                                           gint64         contact_id);
/* Focuses the search entry (Ctrl+F). */
void      tc_inbox_page_focus_search      (TcInboxPage   *self);
guint     tc_inbox_page_get_unread        (TcInboxPage   *self);
/* The contact whose conversation is shown; 0 = none. */
gint64    tc_inbox_page_get_contact_id    (TcInboxPage   *self);
gboolean  tc_inbox_page_get_folded        (TcInboxPage   *self);
void      tc_inbox_page_set_folded        (TcInboxPage   *self,
                                           gboolean       folded);

G_END_DECLS
