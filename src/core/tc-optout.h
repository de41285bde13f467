/* tc-optout.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "tc-types.h"

G_BEGIN_DECLS

#define TC_TYPE_OPTOUT (tc_optout_get_type ())

/**
 * TcOptout:
 *
 * The opt-out instruction per language ("Reply STOP to opt out"), with the
 * built-in defaults for en, fr, es, de, it, pt and nl, each replaceable.
 */
typedef struct _TcOptout TcOptout;

GType       tc_optout_get_type            (void) G_GNUC_CONST;
TcOptout   *tc_optout_new                 (void) G_GNUC_WARN_UNUSED_RESULT;
TcOptout   *tc_optout_copy                (const TcOptout *self) G_GNUC_WARN_UNUSED_RESULT;
void        tc_optout_free                (TcOptout       *self);
void        tc_optout_set_text            (TcOptout       *self,
                                           const char     *language,
                                           const char     *text);
const char *tc_optout_get_text            (const TcOptout *self,
                                           const char     *language);
const char *tc_optout_default_text        (const char     *language);
gboolean    tc_optout_has_instruction     (const char     *text);
char       *tc_optout_apply               (const TcOptout *self,
                                           const char     *text,
                                           const char     *language) G_GNUC_WARN_UNUSED_RESULT;
gboolean    tc_optout_required            (TcPurpose       purpose,
                                           gboolean        is_first_message_to_contact,
                                           gboolean        setting_every_message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcOptout, tc_optout_free)

G_END_DECLS
