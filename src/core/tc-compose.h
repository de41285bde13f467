/* tc-compose.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Composing one message from a stored template for one contact — the
 * step shared by `textcast-cli send --template` and campaigns:
 *
 *   SMS:       Mustache with the contact's fields and the brand; links tagged
 *              with UTM parameters (when asked) and turned into tracked short
 *              links (when a short-link domain is set and a link allocator is
 *              given); the opt-out instruction appended to a promotional text
 *              that has none (in the contact's language).
 *   WhatsApp:  the template's variables filled in, giving the Cloud API
 *              "template" object; its category and approval for the gate.
 *
 * A TcComposer parses the template once; tc_composer_compose() is then
 * cheap per contact. Not thread-safe: one composer per thread.
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tc-contact.h"
#include "tc-gate.h"
#include "tc-links.h"
#include "tc-optout.h"
#include "tc-template.h"

G_BEGIN_DECLS

typedef struct
{
  const char            *brand;          /* {{brand}}; NULL: none */
  TcPurpose              purpose;        /* promotional SMS get the opt-out text */
  const TcOptout        *optout;         /* NULL: the built-in texts */
  /* UTM parameters for every link (NULL: links left as they are; a
   * member NULL: that parameter not added). */
  const TcUtmParams     *utm;
  /* Short links: both set, or no shortening. */
  const char            *short_domain;
  TcShortLinkAllocFunc   alloc_link;
} TcComposeOptions;

typedef struct
{
  char             *body;         /* SMS text; NULL for a WhatsApp template */
  char             *wa_template;  /* the Cloud API "template" object (JSON), or NULL */
  char             *media_url;    /* the MMS picture, or NULL */
  TcGateContent     content;      /* TEXT or TEMPLATE */
  TcGateWaCategory  category;     /* WhatsApp only */
  gboolean          approved;     /* WhatsApp only: Meta approved the template */
} TcComposed;

void tc_composed_clear (TcComposed *composed);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TcComposed, tc_composed_clear)

typedef struct _TcComposer TcComposer;

/* Prepares @template (an SMS or WhatsApp template; not a snippet). Fails
 * when its text does not parse, naming the template. @options is copied. */
TcComposer *tc_composer_new     (TcTemplate              *template,
                                 const TcComposeOptions  *options,
                                 GError                 **error);
void        tc_composer_free    (TcComposer              *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcComposer, tc_composer_free)

/* The message for @contact (NULL: no contact fields; fallbacks apply) at
 * @to (E.164). @alloc_data goes to the options' alloc_link. */
gboolean    tc_composer_compose (TcComposer              *self,
                                 TcContact               *contact,
                                 const char              *to,
                                 gpointer                 alloc_data,
                                 TcComposed              *composed,
                                 GError                 **error);
/* As tc_composer_compose(), with @event (nullable) as the template's
 * {{event.…}} variables: a journey's trigger event properties. */
gboolean    tc_composer_compose_with_event (TcComposer         *self,
                                            TcContact          *contact,
                                            const char         *to,
                                            JsonObject         *event,
                                            gpointer            alloc_data,
                                            TcComposed         *composed,
                                            GError            **error);

G_END_DECLS
