/* tc-contacts-page.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tc-types.h"

G_BEGIN_DECLS

#define TC_TYPE_CONTACTS_PAGE (tc_contacts_page_get_type())

G_DECLARE_FINAL_TYPE (TcContactsPage, tc_contacts_page, TC, CONTACTS_PAGE, GtkWidget)

/*
 * The Contacts section: a column view over a TcContactListModel with
 * search, a tag filter and the empty states.
 *
 * Properties: "folded" (the window's sidebar is hidden: show a button to
 * reach it), "total" (read-only: contacts in the workspace, whatever the
 * search). Signals: "contact-activated" (TcContact).
 */

void        tc_contacts_page_set_repository (TcContactsPage *self,
                                             TcRepository   *repository);
guint       tc_contacts_page_get_total      (TcContactsPage *self);
gboolean    tc_contacts_page_get_folded     (TcContactsPage *self);
void        tc_contacts_page_set_folded     (TcContactsPage *self,
                                             gboolean        folded);
void        tc_contacts_page_focus_search   (TcContactsPage *self);
void        tc_contacts_page_focus_list     (TcContactsPage *self);

G_END_DECLS
