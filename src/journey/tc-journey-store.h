/* tc-journey-store.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Journeys in the workspace database (schema 11: journeys,
 * journey_versions, journey_enrollments). Every call runs as a job on the
 * repository's worker threads (writes on the writer, reads on the reader)
 * and completes on the caller's thread-default main context.
 *
 * Versions: each journey has a current version (the one being edited) and,
 * once activated, an active version (the one new contacts enter). A
 * version is frozen when it is activated. Saving a journey whose current
 * version is frozen adds the next version, which is a draft of the change:
 * the journey keeps running its active version until it is activated
 * again, which validates the new version, freezes it and makes it the
 * active one. Contacts already inside finish the version they entered
 * (enrollments name their version).
 */

#pragma once

#include <gio/gio.h>

#include "tc-journey.h"
#include "tc-repository.h"

G_BEGIN_DECLS

/* Stores @journey as a new draft journey, version 1; @origin names the
 * ready-made journey it came from (NULL or "": none). Returns the new id
 * (0 on error). */
void        tc_journey_store_add_async        (TcRepository        *repository,
                                               TcJourney           *journey,
                                               const char          *origin,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gint64      tc_journey_store_add_finish       (TcRepository        *repository,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Saves @journey (which has an id) as its current version, or as the next
 * version when the current one is frozen (see above). Returns the version
 * written (0 on error). */
void        tc_journey_store_save_async       (TcRepository        *repository,
                                               TcJourney           *journey,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
int         tc_journey_store_save_finish      (TcRepository        *repository,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Journey @id as of @version (0: its current version).
 * TC_JOURNEY_ERROR_NOT_FOUND when there is no such journey or version. */
void        tc_journey_store_get_async        (TcRepository        *repository,
                                               gint64               id,
                                               int                  version,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
TcJourney  *tc_journey_store_get_finish       (TcRepository        *repository,
                                               GAsyncResult        *result,
                                               GError             **error);

/* A journey as listed: the current version's graph and the journey's row. */
typedef struct
{
  TcJourney *journey;        /* as of its current version */
  int        active_version; /* 0: never activated */
  char      *origin;         /* the ready-made journey it came from, or "" */
  gint64     created_at;
  gint64     updated_at;
} TcJourneyInfo;

void        tc_journey_info_free              (TcJourneyInfo       *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcJourneyInfo, tc_journey_info_free)

/* Every journey, by id. Returns: (transfer full) (element-type TcJourneyInfo) */
void        tc_journey_store_list_async       (TcRepository        *repository,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GPtrArray  *tc_journey_store_list_finish      (TcRepository        *repository,
                                               GAsyncResult        *result,
                                               GError             **error);

/* tc_journey_validate() with the workspace's templates: a send whose
 * template does not exist (of the right kind) is a "template_missing"
 * problem. Returns: (transfer full) (element-type TcJourneyProblem) */
void        tc_journey_store_validate_async   (TcRepository        *repository,
                                               TcJourney           *journey,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GPtrArray  *tc_journey_store_validate_finish  (TcRepository        *repository,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Activates journey @id: validates its current version against the
 * workspace (in the same transaction), and when it has no problems freezes
 * it, makes it the active version and sets the state to active. When it
 * has problems nothing changes: FALSE with TC_JOURNEY_ERROR_PROBLEMS and
 * the problems in *@problems (element-type TcJourneyProblem). On success
 * *@version is the active version. Activating an active journey whose
 * current version is its active one changes nothing. */
void        tc_journey_store_activate_async   (TcRepository        *repository,
                                               gint64               id,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean    tc_journey_store_activate_finish  (TcRepository        *repository,
                                               GAsyncResult        *result,
                                               int                 *version,
                                               GPtrArray          **problems,
                                               GError             **error);

/* Pauses active journey @id (no new contacts; the runner holds those
 * inside). TC_JOURNEY_ERROR_STATE for a draft. Pausing a paused journey
 * changes nothing. */
void        tc_journey_store_pause_async      (TcRepository        *repository,
                                               gint64               id,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean    tc_journey_store_pause_finish     (TcRepository        *repository,
                                               GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
