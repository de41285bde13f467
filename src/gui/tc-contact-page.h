/* tc-contact-page.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tc-types.h"

G_BEGIN_DECLS

#define TC_TYPE_CONTACT_PAGE (tc_contact_page_get_type())

G_DECLARE_FINAL_TYPE (TcContactPage, tc_contact_page, TC, CONTACT_PAGE, GtkWidget)

/* Every field of one contact, its tags and custom attributes; its consent
 * per channel and purpose in plain words, with Record Consent… and Revoke…
 * (TcConsentDialog, the consent ledger), and the history of consent events
 * with their evidence, newest first, reloaded on the repository's
 * "contacts-changed"; Export Data… and Erase Contact… (tc-privacy.h). The
 * back button activates "win.show-contacts". */

/* Loads contact @id from @repository and shows it. */
void tc_contact_page_show (TcContactPage *self,
                           TcRepository  *repository,
                           gint64         id);

G_END_DECLS
