/* tc-repository.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tc-types.h"

G_BEGIN_DECLS

#define TC_DB_ERROR (tc_db_error_quark ())

/**
 * TcDbError:
 * @TC_DB_ERROR_FAILED: SQLite reported an error; the message is SQLite's
 * @TC_DB_ERROR_BUSY: the database is locked by another program
 * @TC_DB_ERROR_CORRUPT: the file is not a Textcast database, or is damaged
 * @TC_DB_ERROR_NOT_FOUND: no row with that id
 * @TC_DB_ERROR_CONSTRAINT: the change would break a rule (duplicate phone, …)
 * @TC_DB_ERROR_TOO_NEW: the file was written by a newer Textcast
 * @TC_DB_ERROR_CLOSED: the repository is not open
 * @TC_DB_ERROR_CANT_OPEN: the file or its folder cannot be opened or created
 */
typedef enum
{
  TC_DB_ERROR_FAILED,
  TC_DB_ERROR_BUSY,
  TC_DB_ERROR_CORRUPT,
  TC_DB_ERROR_NOT_FOUND,
  TC_DB_ERROR_CONSTRAINT,
  TC_DB_ERROR_TOO_NEW,
  TC_DB_ERROR_CLOSED,
  TC_DB_ERROR_CANT_OPEN,
} TcDbError;

GQuark tc_db_error_quark (void);

#define TC_TYPE_REPOSITORY (tc_repository_get_type())

G_DECLARE_FINAL_TYPE (TcRepository, tc_repository, TC, REPOSITORY, GObject)

/* The schema version this build writes (PRAGMA user_version). */
#define TC_REPOSITORY_SCHEMA_VERSION 13

/*
 * A workspace database. One worker thread owns the connection that writes;
 * a second worker thread owns a read-only connection so that lists and
 * counts stay responsive while a long write (an import) runs (WAL lets the
 * reader see the last committed state). Every call here is asynchronous and
 * completes on the thread-default main context of the caller.
 *
 * Signals:
 *   "contacts-changed" ()  emitted on the main context after any committed
 *                          change to contacts, tags or consents (and once
 *                          when opening succeeds, so that lists created
 *                          before then load).
 *   "settings-changed" (const char *key)
 *                          emitted on the main context after
 *                          tc_settings_set_async() stored or removed @key
 *                          (tc-settings.h).
 */

TcRepository *tc_repository_new                  (const char           *path);
/* For a process with a user interface: the threads of every repository
 * made afterwards (the reader and the writer, where the engine and the
 * journeys run) take this much lower a scheduling priority (a nice
 * increment, 1-19) than the thread that made them, so that the main thread
 * wins the processor when both want it — a window answers while a send
 * runs on a busy machine. Linux only (where nice is per thread); elsewhere
 * nothing changes. 0, the default, leaves them as they are. */
void          tc_repository_set_thread_niceness  (int                   increment);
const char   *tc_repository_get_path             (TcRepository         *self);

void          tc_repository_open_async           (TcRepository         *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean      tc_repository_open_finish          (TcRepository         *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
/* Stops the worker threads after the queued work finished. Idempotent. */
void          tc_repository_close                (TcRepository         *self);

/* Contacts are listed in a stable order: last name, first name, phone
 * (case-insensitive). @search matches name, phone or email (substring,
 * case-insensitive; digits typed in any format match the phone). @tag
 * filters to contacts that have the tag. Both may be NULL or empty. */
void          tc_repository_count_contacts_async (TcRepository         *self,
                                                  const char           *search,
                                                  const char           *tag,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean      tc_repository_count_contacts_finish (TcRepository        *self,
                                                  GAsyncResult         *result,
                                                  guint                *n_contacts,
                                                  GError              **error);
void          tc_repository_list_contacts_async  (TcRepository         *self,
                                                  const char           *search,
                                                  const char           *tag,
                                                  guint                 offset,
                                                  guint                 limit,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
/* Returns: (transfer full) (element-type TcContact) */
GPtrArray    *tc_repository_list_contacts_finish (TcRepository         *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void          tc_repository_get_contact_async    (TcRepository         *self,
                                                  gint64                id,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
TcContact    *tc_repository_get_contact_finish   (TcRepository         *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void          tc_repository_find_contact_by_phone_async (TcRepository  *self,
                                                  const char           *e164,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
/* Returns NULL with TC_DB_ERROR_NOT_FOUND when there is none. */
TcContact    *tc_repository_find_contact_by_phone_finish (TcRepository *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
/* Inserts (id 0) or updates (id set) the contact with its tags and
 * attributes; on success the contact's id and timestamps are set. */
void          tc_repository_save_contact_async   (TcRepository         *self,
                                                  TcContact            *contact,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean      tc_repository_save_contact_finish  (TcRepository         *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void          tc_repository_delete_contact_async (TcRepository         *self,
                                                  gint64                id,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean      tc_repository_delete_contact_finish (TcRepository        *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
/* Consent records, newest first. */
/* All tags in use, sorted. Returns: (transfer full) */
void          tc_repository_list_tags_async      (TcRepository         *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
GStrv         tc_repository_list_tags_finish     (TcRepository         *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

/* For the CLI, tests and benchmarks (never the GUI): iterates the calling
 * thread's thread-default main context until *@result is set by
 * tc_repository_store_result_cb. Usage:
 *   g_autoptr(GAsyncResult) res = NULL;
 *   tc_repository_list_tags_async (repo, NULL, tc_repository_store_result_cb, &res);
 *   tc_repository_wait (&res);
 *   tags = tc_repository_list_tags_finish (repo, res, &error); */
void          tc_repository_wait                 (GAsyncResult        **result);
/* A GAsyncReadyCallback that stores the result in (GAsyncResult **) user_data. */
void          tc_repository_store_result_cb      (GObject              *object,
                                                  GAsyncResult         *result,
                                                  gpointer              user_data);

G_END_DECLS
