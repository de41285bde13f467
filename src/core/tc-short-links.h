/* tc-short-links.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tracked short links (schema 4): each link of a message sent to a contact
 * becomes "https://<short domain>/l/<code>" (tc-links.h); the code maps to
 * the long URL, the contact and the origin ("campaign:12:A",
 * "template:3:v2"); Textcast's HTTP endpoint (src/net) resolves the code
 * and records each click.
 */

#pragma once

#include <gio/gio.h>

#include "tc-types.h"

G_BEGIN_DECLS

/* Longest user agent kept with a click, in bytes (cut at a character). */
#define TC_SHORT_LINKS_MAX_USER_AGENT 256

/**
 * TcLinkStats:
 * @links: short links made
 * @clicks: clicks recorded on them
 * @unique_contacts: distinct contacts with at least one click (links made
 *   without a contact, or whose contact was deleted, do not count)
 */
typedef struct
{
  guint64 links;
  guint64 clicks;
  guint64 unique_contacts;
} TcLinkStats;

/* TRUE when @code has the form of a short-link code: exactly
 * %TC_LINKS_CODE_LENGTH characters of [0-9A-Za-z]. Needs no database. */
gboolean  tc_short_links_code_is_valid        (const char          *code);

/* Rewrites every link of @text to a new short link on @short_domain (a
 * host, without scheme) for @contact_id (0 for none) and @origin (may be
 * NULL), all stored in one transaction. Returns: (transfer full) the text */
void      tc_short_links_shorten_async        (TcRepository        *repository,
                                               const char          *text,
                                               const char          *short_domain,
                                               gint64               contact_id,
                                               const char          *origin,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
char     *tc_short_links_shorten_finish       (TcRepository        *repository,
                                               GAsyncResult        *result,
                                               GError             **error);

/* The long URL of @code; TC_DB_ERROR_NOT_FOUND when there is none. */
void      tc_short_links_resolve_async        (TcRepository        *repository,
                                               const char          *code,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
char     *tc_short_links_resolve_finish       (TcRepository        *repository,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Records one click on @code now; @user_agent may be NULL, it is cut to
 * %TC_SHORT_LINKS_MAX_USER_AGENT bytes. TC_DB_ERROR_NOT_FOUND when the
 * code is unknown. */
void      tc_short_links_record_click_async   (TcRepository        *repository,
                                               const char          *code,
                                               const char          *user_agent,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean  tc_short_links_record_click_finish  (TcRepository        *repository,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Totals over the links whose origin starts with @origin_prefix (NULL or
 * "" for all): "campaign:12:" covers every variant of campaign 12. */
void      tc_short_links_count_clicks_async   (TcRepository        *repository,
                                               const char          *origin_prefix,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean  tc_short_links_count_clicks_finish  (TcRepository        *repository,
                                               GAsyncResult        *result,
                                               TcLinkStats         *stats,
                                               GError             **error);

/* Worker side (inside a repository job; see tc-repository-private.h). */

struct _TcDb;

/**
 * TcShortLinkTarget:
 * @db: the writer's connection (the job's)
 * @contact_id: the recipient, or 0
 * @origin: (nullable): where the message comes from
 *
 * The closure of _tc_short_link_alloc().
 */
typedef struct
{
  struct _TcDb *db;
  gint64        contact_id;
  const char   *origin;
} TcShortLinkTarget;

/* A TcShortLinkAllocFunc (tc-links.h) for tc_links_shorten_text() inside a
 * WRITE job: @user_data is a TcShortLinkTarget. Stores a new code (a fresh
 * one is drawn on the rare collision) and returns it. */
char     *_tc_short_link_alloc                (const char          *long_url,
                                               guint                index,
                                               gpointer             user_data,
                                               GError             **error);
/* Returns: (transfer full): the long URL, or NULL with
 * TC_DB_ERROR_NOT_FOUND (or another error). */
char     *_tc_db_resolve_short_link           (struct _TcDb        *db,
                                               const char          *code,
                                               GError             **error);
gboolean  _tc_db_record_link_click            (struct _TcDb        *db,
                                               const char          *code,
                                               const char          *user_agent,
                                               gint64               now,
                                               GError             **error);

G_END_DECLS
