/* tc-links.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "tc-types.h"

G_BEGIN_DECLS

/* Length of the random part of a short link: 8 base62 characters, about
 * 47.6 bits, drawn from the kernel CSPRNG. */
#define TC_LINKS_CODE_LENGTH 8

/**
 * TcLinkSpan:
 * @start: byte offset of the first character of the link
 * @end: byte offset just past its last character
 *
 * Where a link sits in a UTF-8 text.
 */
typedef struct
{
  gsize start;
  gsize end;
} TcLinkSpan;

/**
 * TcUtmParams:
 * @source: utm_source, tc_links_default_source() of the channel; %NULL or ""
 *   to leave out
 * @medium: utm_medium: tc_links_default_medium() of the channel unless the
 *   user configured another; %NULL or "" to leave out
 * @campaign: utm_campaign, already a slug (see tc_links_slugify()); %NULL or "" to leave out
 * @content: utm_content (the variant); %NULL or "" to leave out
 *
 * The values are raw text; they are percent-encoded when appended.
 */
typedef struct
{
  const char *source;
  const char *medium;
  const char *campaign;
  const char *content;
} TcUtmParams;

/**
 * TcShortLinkAllocFunc:
 * @long_url: the absolute URL the short link must redirect to
 * @index: the position of the link in the text, from 0
 * @user_data: closure
 * @error: return location for a #GError
 *
 * Allocates a short-link code for @long_url and records it (code → long URL,
 * recipient, campaign: the closure knows the recipient and the campaign).
 * tc_links_generate_code() makes a suitable code.
 *
 * Returns: (transfer full) (nullable): the code, or %NULL with @error set
 */
typedef char *(*TcShortLinkAllocFunc) (const char  *long_url,
                                       guint        index,
                                       gpointer     user_data,
                                       GError     **error);

GArray     *tc_links_find               (const char         *text) G_GNUC_WARN_UNUSED_RESULT;
const char *tc_links_default_source     (TcChannel           channel);
const char *tc_links_default_medium     (TcChannel           channel);
char       *tc_links_slugify            (const char         *name) G_GNUC_WARN_UNUSED_RESULT;
char       *tc_links_add_utm            (const char         *url,
                                         const TcUtmParams  *utm) G_GNUC_WARN_UNUSED_RESULT;
char       *tc_links_tag_text           (const char         *text,
                                         const TcUtmParams  *utm) G_GNUC_WARN_UNUSED_RESULT;
char       *tc_links_generate_code      (GError            **error) G_GNUC_WARN_UNUSED_RESULT;
char       *tc_links_shorten_text       (const char         *text,
                                         const char         *short_domain,
                                         TcShortLinkAllocFunc func,
                                         gpointer            user_data,
                                         GError            **error) G_GNUC_WARN_UNUSED_RESULT;
glong       tc_links_short_link_length  (const char         *short_domain);
char       *tc_links_preview_text       (const char         *text,
                                         const char         *short_domain) G_GNUC_WARN_UNUSED_RESULT;
glong       tc_links_final_length       (const char         *text,
                                         const char         *short_domain);

G_END_DECLS
