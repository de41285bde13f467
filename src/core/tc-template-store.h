/* tc-template-store.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tc-repository.h"
#include "tc-template.h"

G_BEGIN_DECLS

/*
 * Templates in the workspace database (schema 3; media since schema 5).
 * Every call runs on the repository's worker threads and completes on the
 * caller's thread-default main context, like the rest of TcRepository.
 *
 * Versions: a template's body, definition, language, purpose and media
 * (MMS URL and type, schema 5) are stored per version and never edited; saving changed content appends a version.
 * Names are unique per kind: saving or renaming onto a taken name fails
 * with TC_DB_ERROR_CONSTRAINT and a message naming the clash.
 */

/* Lists the templates of @kind, or of every kind when @kind is -1, each as
 * its latest version, by kind then name (case-insensitive). */
void        tc_repository_list_templates_async   (TcRepository         *self,
                                                  int                   kind,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
/* Returns: (transfer full) (element-type TcTemplate) */
GPtrArray  *tc_repository_list_templates_finish  (TcRepository         *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

/* Reads template @id as of @version (0: the latest). TC_DB_ERROR_NOT_FOUND
 * when there is no such template or version. */
void        tc_repository_get_template_async     (TcRepository         *self,
                                                  gint64                id,
                                                  int                   version,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
TcTemplate *tc_repository_get_template_finish    (TcRepository         *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

/* As get_template, by name: @kind -1 accepts any kind, and fails with
 * TC_DB_ERROR_CONSTRAINT when the name is used by more than one kind. */
void        tc_repository_find_template_async    (TcRepository         *self,
                                                  int                   kind,
                                                  const char           *name,
                                                  int                   version,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
TcTemplate *tc_repository_find_template_finish   (TcRepository         *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

/* Inserts @template (id 0: as version 1) or updates it: a new version when
 * its body, definition, language, purpose or media differ from the latest
 * stored version, none otherwise; name, status and status reason are written
 * either way. A WhatsApp template whose content changed goes back to
 * "draft" (it needs approval again). On success @template's id, version,
 * status and timestamps are set, and *@new_version says whether a version
 * was added (TRUE for an insert). */
void        tc_repository_save_template_async    (TcRepository         *self,
                                                  TcTemplate           *template,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean    tc_repository_save_template_finish   (TcRepository         *self,
                                                  GAsyncResult         *result,
                                                  gboolean             *new_version,
                                                  GError              **error);

/* Copies the latest version of template @id into a new draft template
 * called "Copy of NAME" ("Copy of NAME (2)", … when taken). */
void        tc_repository_duplicate_template_async (TcRepository       *self,
                                                  gint64                id,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
/* Returns: (transfer full): the new template */
TcTemplate *tc_repository_duplicate_template_finish (TcRepository      *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

/* Deletes template @id and all its versions. */
void        tc_repository_delete_template_async  (TcRepository         *self,
                                                  gint64                id,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean    tc_repository_delete_template_finish (TcRepository         *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

/* Every version of template @id, newest first. */
void        tc_repository_list_template_versions_async  (TcRepository  *self,
                                                  gint64                id,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
/* Returns: (transfer full) (element-type TcTemplate) */
GPtrArray  *tc_repository_list_template_versions_finish (TcRepository  *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

/* Sets the approval status (and reason) of template @id without adding a
 * version, as a provider reports it. */
void        tc_repository_set_template_status_async  (TcRepository     *self,
                                                  gint64                id,
                                                  const char           *status,
                                                  const char           *reason,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean    tc_repository_set_template_status_finish (TcRepository     *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

/* The names of the custom attributes found on contacts (for the variable
 * picker), sorted. Looks at the most recently added contacts only (20,000),
 * so that a huge workspace answers quickly. Returns: (transfer full) */
void        tc_repository_list_attribute_names_async  (TcRepository    *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
GStrv       tc_repository_list_attribute_names_finish (TcRepository    *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

/* Worker side (inside a repository job): template @id as of @version (0:
 * the current one), or NULL with TC_DB_ERROR_NOT_FOUND. */
struct _TcDb;
TcTemplate *_tc_db_template_load (struct _TcDb  *db,
                                  gint64         id,
                                  int            version,
                                  GError       **error);

G_END_DECLS
