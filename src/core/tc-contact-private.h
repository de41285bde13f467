/* tc-contact-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tc-contact.h"

G_BEGIN_DECLS

/* A contact whose row has not been fetched yet ("loaded" is FALSE); paging
 * models hand it out and fill it in place with _tc_contact_fill_from(). */
TcContact *_tc_contact_new_placeholder (void);

G_END_DECLS
