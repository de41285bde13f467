/* tc-contact-list-model.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tc-types.h"

G_BEGIN_DECLS

#define TC_TYPE_CONTACT_LIST_MODEL (tc_contact_list_model_get_type())

G_DECLARE_FINAL_TYPE (TcContactListModel, tc_contact_list_model, TC, CONTACT_LIST_MODEL, GObject)

/*
 * A GListModel of TcContact that pages from the repository: it knows the
 * count, keeps a bounded number of pages in memory, and hands out a
 * placeholder (loaded = FALSE) for rows not fetched yet, filling it in place
 * when its page arrives. Changing "search" or "tag" re-counts (debounced by
 * the caller), and "contacts-changed" on the repository reloads; either way
 * the rows held are refilled in place (same objects) and items-changed
 * reports only the rows added or removed at the end of the list.
 *
 * Properties: "repository", "search", "tag", "loading" (read-only: a count
 * or page request is in flight), "n-items" (read-only).
 */

TcContactListModel *tc_contact_list_model_new        (TcRepository       *repository);
TcRepository       *tc_contact_list_model_get_repository (TcContactListModel *self);
const char         *tc_contact_list_model_get_search (TcContactListModel *self);
void                tc_contact_list_model_set_search (TcContactListModel *self,
                                                      const char         *search);
const char         *tc_contact_list_model_get_tag    (TcContactListModel *self);
void                tc_contact_list_model_set_tag    (TcContactListModel *self,
                                                      const char         *tag);
gboolean            tc_contact_list_model_get_loading (TcContactListModel *self);
/* Drops cached pages and counts again. */
void                tc_contact_list_model_reload     (TcContactListModel *self);

G_END_DECLS
