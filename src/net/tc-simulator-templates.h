/* tc-simulator-templates.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built-in simulator's WhatsApp message templates (private to
 * tc-simulator.c and its tests): Meta's template endpoints of a WhatsApp
 * Business Account, and a review that approves or rejects what is
 * submitted as Meta would.
 *
 *   POST /{version}/{waba-id}/message_templates   submit: {"id","status":"PENDING","category"}
 *   GET  /{version}/{waba-id}/message_templates   list (?name=, ?limit=, ?after=)
 *
 * A request Meta refuses outright is answered 400 with a Graph error
 * (code 100 and an error_subcode, error_user_title and error_user_msg):
 * an invalid name, language or category, no body, a name already used in
 * that language, a variable at the very start or end of the body,
 * variables not numbered 1, 2, 3…, no example values for the variables of
 * the body, a text header or a URL button, no example media for a media
 * header. What is accepted is PENDING, and the review's verdict —
 * decided from the content, so always the same — shows in the list once
 * review_ms have passed since the submission (0: at the first look):
 * APPROVED, or REJECTED with rejected_reason INVALID_FORMAT (two
 * variables side by side, more variables than words around them) or
 * TAG_CONTENT_MISMATCH (a UTILITY or AUTHENTICATION template that
 * advertises: "% off", "discount", "sale", "offer", "coupon", "promo").
 * The templates live as long as the simulator.
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The review of one submitted template. */
typedef struct
{
  gboolean    refused;     /* answered 400: nothing is created */
  guint       subcode;     /* refused: Meta's error_subcode */
  const char *title;       /* refused: error_user_title */
  char       *message;     /* refused: error_user_msg */
  const char *status;      /* accepted: the verdict, "APPROVED" or "REJECTED" */
  const char *reason;      /* accepted: "NONE", "INVALID_FORMAT", "TAG_CONTENT_MISMATCH" */
} TcSimTemplateReview;

void _tc_sim_template_review_clear (TcSimTemplateReview *review);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TcSimTemplateReview, _tc_sim_template_review_clear)
/* Reviews the body of a submission (a JSON object). */
void _tc_sim_template_review       (JsonObject          *request,
                                    TcSimTemplateReview *review);

typedef struct _TcSimTemplates TcSimTemplates;

TcSimTemplates *_tc_sim_templates_new    (guint review_ms);
void            _tc_sim_templates_free   (TcSimTemplates *templates);
/* Answers @msg when @path is /{version}/{waba-id}/message_templates (TRUE),
 * else FALSE and leaves it. @base_url makes the list's "next" link. */
gboolean        _tc_sim_templates_handle (TcSimTemplates    *templates,
                                          SoupServerMessage *msg,
                                          const char        *path,
                                          GHashTable        *query,
                                          GBytes            *body,
                                          const char        *base_url);

G_END_DECLS
