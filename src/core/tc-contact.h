/* tc-contact.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "tc-types.h"

G_BEGIN_DECLS

#define TC_TYPE_CONTACT (tc_contact_get_type())

G_DECLARE_FINAL_TYPE (TcContact, tc_contact, TC, CONTACT, GObject)

/*
 * A person in the workspace. Properties (all with notify):
 *   "id"            gint64, 0 until stored
 *   "phone"         E.164, e.g. "+14155552671"
 *   "first-name", "last-name", "email", "language" (BCP 47, e.g. "en"),
 *   "country"       ISO 3166-1 alpha-2 region of the number, e.g. "US"
 *   "timezones"     GStrv of IANA zones (several when the number is ambiguous)
 *   "tags"          GStrv, sorted, unique
 *   "attributes"    GHashTable (utf8 → utf8) of custom attributes (read: borrowed)
 *   "created-at", "updated-at"  GDateTime (UTC)
 *   "sms-consent", "whatsapp-consent"  TcConsentStatus of the promotional
 *                   consent, read-only summary filled by list queries
 *   "display-name"  read-only: "First Last", or the phone when both are empty
 *   "phone-display" read-only: the phone as people read it ("+44 7400 000001",
 *                   tc_phone_format_international()), made when first asked
 *                   for and kept (lists ask on their reader thread, so that
 *                   the GUI thread never parses numbers while it scrolls)
 *   "loaded"        read-only: FALSE while a paging model is still fetching it
 */

TcContact          *tc_contact_new                (void);

gint64              tc_contact_get_id             (TcContact       *self);
void                tc_contact_set_id             (TcContact       *self,
                                                   gint64           id);
const char         *tc_contact_get_phone          (TcContact       *self);
void                tc_contact_set_phone          (TcContact       *self,
                                                   const char      *phone);
const char         *tc_contact_get_phone_display  (TcContact       *self);
const char         *tc_contact_get_first_name     (TcContact       *self);
void                tc_contact_set_first_name     (TcContact       *self,
                                                   const char      *first_name);
const char         *tc_contact_get_last_name      (TcContact       *self);
void                tc_contact_set_last_name      (TcContact       *self,
                                                   const char      *last_name);
char               *tc_contact_dup_display_name   (TcContact       *self) G_GNUC_WARN_UNUSED_RESULT;
const char         *tc_contact_get_email          (TcContact       *self);
void                tc_contact_set_email          (TcContact       *self,
                                                   const char      *email);
const char         *tc_contact_get_language       (TcContact       *self);
void                tc_contact_set_language       (TcContact       *self,
                                                   const char      *language);
const char         *tc_contact_get_country        (TcContact       *self);
void                tc_contact_set_country        (TcContact       *self,
                                                   const char      *country);
const char * const *tc_contact_get_timezones      (TcContact       *self);
void                tc_contact_set_timezones      (TcContact       *self,
                                                   const char * const *timezones);
const char * const *tc_contact_get_tags           (TcContact       *self);
void                tc_contact_set_tags           (TcContact       *self,
                                                   const char * const *tags);
gboolean            tc_contact_has_tag            (TcContact       *self,
                                                   const char      *tag);
void                tc_contact_add_tag            (TcContact       *self,
                                                   const char      *tag);
void                tc_contact_remove_tag         (TcContact       *self,
                                                   const char      *tag);
GHashTable         *tc_contact_get_attributes     (TcContact       *self);
const char         *tc_contact_get_attribute      (TcContact       *self,
                                                   const char      *name);
void                tc_contact_set_attribute      (TcContact       *self,
                                                   const char      *name,
                                                   const char      *value);
GDateTime          *tc_contact_get_created_at     (TcContact       *self);
void                tc_contact_set_created_at     (TcContact       *self,
                                                   GDateTime       *created_at);
GDateTime          *tc_contact_get_updated_at     (TcContact       *self);
void                tc_contact_set_updated_at     (TcContact       *self,
                                                   GDateTime       *updated_at);
TcConsentStatus     tc_contact_get_consent_summary (TcContact      *self,
                                                   TcChannel        channel);
void                _tc_contact_set_consent_summary (TcContact     *self,
                                                   TcChannel        channel,
                                                   TcConsentStatus  status);
gboolean            tc_contact_get_loaded         (TcContact       *self);
/* Copies every stored field of @from into @self (used by paging models to
 * fill a placeholder in place, so bound widgets update through notify). */
void                _tc_contact_fill_from         (TcContact       *self,
                                                   TcContact       *from);

G_END_DECLS
