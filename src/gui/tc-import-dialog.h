/* tc-import-dialog.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tc-types.h"

G_BEGIN_DECLS

#define TC_TYPE_IMPORT_DIALOG (tc_import_dialog_get_type())

G_DECLARE_FINAL_TYPE (TcImportDialog, tc_import_dialog, TC, IMPORT_DIALOG, AdwWindow)

/*
 * The Import dialog: a CSV file, its columns and what each one holds, the
 * default country for national numbers, then progress (with Cancel) and a
 * report of what was imported and what was rejected and why.
 */

/* @settings may be NULL (then folders and the region are not remembered). */
TcImportDialog *tc_import_dialog_new         (GtkWindow      *parent,
                                              TcRepository   *repository,
                                              GSettings      *settings);
/* Shows the file chooser; the dialog closes if the user picks nothing. */
void            tc_import_dialog_choose_file (TcImportDialog *self);
void            tc_import_dialog_load_file   (TcImportDialog *self,
                                              GFile          *file);

G_END_DECLS
