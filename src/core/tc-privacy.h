/* tc-privacy.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GDPR: everything Textcast holds about one person, as JSON or CSV (the
 * contact, tags, attributes, consent events, messages in and out, short
 * links and their clicks); and erasure, which deletes all of it and keeps
 * only a salted hash of the number (HMAC-SHA256 with the workspace's
 * random salt, setting privacy.salt) on the suppression list, so a later
 * import or a hand-made consent cannot re-subscribe them. Only the person
 * can lift it, by texting START (tc-inbound.h).
 */

#pragma once

#include <gio/gio.h>

#include "tc-types.h"

G_BEGIN_DECLS

typedef enum
{
  TC_PRIVACY_FORMAT_JSON,
  TC_PRIVACY_FORMAT_CSV,
} TcPrivacyFormat;

/* The export as one string. CSV: one table with the columns
 * section,field,value,time (sections: contact, tag, attribute, consent,
 * inbound, outbound, link, click). Fails with TC_CONSENT_ERROR_NOT_FOUND /
 * TC_CONSENT_ERROR_INVALID_PHONE. */
void      tc_privacy_export_async   (TcRepository         *repository,
                                     const char           *phone,
                                     TcPrivacyFormat       format,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
char     *tc_privacy_export_finish  (TcRepository         *repository,
                                     GAsyncResult         *result,
                                     GError              **error);

/* Erases the contact with @phone in one transaction and adds the number's
 * hash to the suppression list. Outbound rows keep their counts for
 * reports but lose the number, text and contact. A number that is not a
 * contact is still suppressed. */
void      tc_privacy_erase_async    (TcRepository         *repository,
                                     const char           *phone,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
gboolean  tc_privacy_erase_finish   (TcRepository         *repository,
                                     GAsyncResult         *result,
                                     gboolean             *had_contact,
                                     GError              **error);

/* Worker side. */
struct _TcDb;
/* Whether @e164 is on the suppression list. */
gboolean  _tc_db_is_suppressed      (struct _TcDb  *db,
                                     const char    *e164,
                                     gboolean      *suppressed,
                                     GError       **error);
/* Takes @e164 off the list (the person opted in themselves). */
gboolean  _tc_db_unsuppress         (struct _TcDb  *db,
                                     const char    *e164,
                                     GError       **error);
/* The suppression hash of @e164: HMAC-SHA256 keyed with @salt (the text
 * of the setting privacy.salt), lower-case hex. For callers that read the
 * salt once and check many numbers. Returns: (transfer full) */
char     *_tc_privacy_hash          (const char    *salt,
                                     const char    *e164);

G_END_DECLS
