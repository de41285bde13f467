/* tc-journey-library.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ready-made journeys to start from: cart abandonment, back in stock,
 * welcome (after a double opt-in), post-purchase feedback and birthday
 * offer, each with the SMS and WhatsApp templates it sends. Each one
 * validates cleanly once its templates exist;
 * tc_journey_library_create_async() creates the missing templates and the
 * journey (a draft) in the workspace.
 */

#pragma once

#include <gio/gio.h>

#include "tc-journey.h"
#include "tc-repository.h"

G_BEGIN_DECLS

typedef struct
{
  const char *name;          /* "cart_abandonment": what the CLI takes */
  const char *title;         /* translated, e.g. "Cart abandonment" */
  const char *description;   /* translated: what it does, in a sentence or two */
} TcJourneyLibraryEntry;

guint                        tc_journey_library_get_n_entries (void);
const TcJourneyLibraryEntry *tc_journey_library_get_entry     (guint        index);
/* NULL when no ready-made journey has that name. */
const TcJourneyLibraryEntry *tc_journey_library_lookup        (const char  *name);

/* A new (unsaved) journey built from ready-made journey @name;
 * TC_JOURNEY_ERROR_NOT_FOUND when there is none of that name. */
TcJourney                   *tc_journey_library_build         (const char  *name,
                                                               GError     **error) G_GNUC_WARN_UNUSED_RESULT;
/* The templates journey @name sends, as they are created when missing
 * (unsaved TcTemplate objects; WhatsApp ones in "draft" status: they need
 * Meta's approval before they can be sent). NULL for an unknown name.
 * Returns: (transfer full) (element-type TcTemplate) */
GPtrArray                   *tc_journey_library_dup_templates (const char  *name) G_GNUC_WARN_UNUSED_RESULT;

/* Creates ready-made journey @name as a new draft in the workspace, after
 * creating any of its templates that do not exist yet (templates that
 * exist, of the same kind and name, are kept as they are). */
void        tc_journey_library_create_async  (TcRepository        *repository,
                                              const char          *name,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
/* Returns the journey's id (0 on error); @created_templates (optional)
 * gets the names of the templates that were created, "kind:name". */
gint64      tc_journey_library_create_finish (TcRepository        *repository,
                                              GAsyncResult        *result,
                                              GStrv               *created_templates,
                                              GError             **error);

G_END_DECLS
