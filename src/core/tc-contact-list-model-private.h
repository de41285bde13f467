/* tc-contact-list-model-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tc-contact-list-model.h"

G_BEGIN_DECLS

/* For tests and benchmarks: how many pages of rows are held right now, at
 * most how many, and how many rows a page has. */
guint _tc_contact_list_model_get_n_cached_pages   (TcContactListModel *self);
guint _tc_contact_list_model_get_max_cached_pages (TcContactListModel *self);
guint _tc_contact_list_model_get_page_size        (TcContactListModel *self);

G_END_DECLS
