/* tc-templates-page.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tc-types.h"

G_BEGIN_DECLS

#define TC_TYPE_TEMPLATES_PAGE (tc_templates_page_get_type())

G_DECLARE_FINAL_TYPE (TcTemplatesPage, tc_templates_page, TC, TEMPLATES_PAGE, GtkWidget)

/*
 * The Templates section: the SMS templates, WhatsApp templates and
 * snippets of the workspace, with New, Duplicate and Delete, and the
 * editors (TcSmsEditor for SMS and snippets, TcWaEditor for WhatsApp).
 *
 * Properties: "folded" (the window's sidebar is hidden: show a button to
 * reach it).
 * Actions: templates.new-sms (Ctrl+N), templates.new-whatsapp,
 * templates.new-snippet, templates.back (Alt+Left in an editor),
 * templates.open, templates.duplicate, templates.delete (an int64 id).
 */

void      tc_templates_page_set_repository (TcTemplatesPage *self,
                                            TcRepository    *repository);
gboolean  tc_templates_page_get_folded     (TcTemplatesPage *self);
void      tc_templates_page_set_folded     (TcTemplatesPage *self,
                                            gboolean         folded);
/* Back to the list (from an editor), and focus it. */
void      tc_templates_page_show_list      (TcTemplatesPage *self);

G_END_DECLS
