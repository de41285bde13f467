/* tc-keywords.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Classifies an inbound message: opt-out (STOP, STOPALL, UNSUBSCRIBE,
 * CANCEL, END, QUIT, REVOKE, OPTOUT, "opt out", and per-language lists such
 * as ARRET, BAJA, ALTO), opt-in (START, YES, UNSTOP), help (HELP, INFO),
 * custom keywords (DEALS → promotional, STATUS → transactional), or
 * conversation. Matching ignores case, accents, surrounding whitespace and
 * punctuation. A sentence that plainly asks to stop ("please stop texting
 * me") is an opt-out marked for review; one that mentions stopping but does
 * not ask for it ("don't stop the deals!") is a conversation marked for
 * review. Pure: no database, no GTK; safe on any thread once built.
 */

#pragma once

#include <glib.h>

#include "tc-types.h"

G_BEGIN_DECLS

typedef struct _TcKeywords TcKeywords;

typedef struct
{
  TcInboundAction  action;
  const char      *keyword;       /* canonical upper-case keyword matched ("STOP",
                                   * "DEALS"), owned by the TcKeywords; NULL for
                                   * a conversation or a sentence. A keyword
                                   * between courtesy words ("stop please",
                                   * "oui merci") is that keyword, with
                                   * needs_review TRUE. */
  const char      *language;      /* language of the list that matched ("en",
                                   * "fr", …: the base language, "fr" for a
                                   * keywords.optout.fr_CA list), owned; for a
                                   * sentence, the language most of its words
                                   * belong to; NULL when unknown (always for
                                   * a conversation and a custom keyword) */
  gboolean         needs_review;  /* a person should read it: a sentence read
                                   * as an opt-out, a conversation that
                                   * mentions an opt-out word, a keyword
                                   * with courtesy words, invalid UTF-8 */
  gboolean         all_purposes;  /* OPT_OUT / OPT_IN: every purpose on the
                                   * channel (always TRUE for the standard
                                   * words; a custom keyword names one) */
  TcPurpose        purpose;       /* KEYWORD (and a purpose-bound custom
                                   * opt-out): the purpose it subscribes to or
                                   * leaves */
  gboolean         unsubscribes;  /* KEYWORD: TRUE if the custom keyword
                                   * leaves @purpose instead of joining it */
  const char      *reply;         /* KEYWORD: its own reply text, or NULL for the
                                   * standard opt-in reply; owned */
} TcKeywordMatch;

/* The built-in lists: English plus fr, es, de, it, pt, nl; no custom
 * keywords. */
TcKeywords *tc_keywords_new_default  (void);

/* The built-in lists extended by settings (tc-settings.h):
 *   keywords.optout.<lang>, keywords.optin.<lang>, keywords.help.<lang>:
 *     comma-separated words or phrases added to that language;
 *   keywords.custom: a JSON array of
 *     {"keyword":"DEALS","purpose":"promotional","action":"subscribe"|"unsubscribe",
 *      "reply":"…"(optional)}.
 * @settings maps keys to values (other keys are ignored). Fails with
 * G_IO_ERROR_INVALID_DATA naming the key and what is wrong — among others
 * when a word would get a second meaning: a custom keyword may not be an
 * opt-out, opt-in or help word (opt-out words are never shadowed), nor an
 * opt-in or help list take an opt-out word. "keyword", "purpose" and
 * "action" are required; a word is at most 64 bytes once normalised. */
TcKeywords *tc_keywords_new_from_settings (GHashTable  *settings,
                                           GError     **error);
void        tc_keywords_free         (TcKeywords       *keywords);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcKeywords, tc_keywords_free)

/* Classifies @text (UTF-8, @length bytes or -1 if NUL-terminated; invalid
 * UTF-8, or a NUL byte inside @length, is a conversation marked for
 * review). Never fails. Keywords match only the whole message; "Y" is not
 * a built-in opt-in word (add it to keywords.optin.en if wanted). */
void        tc_keywords_classify     (const TcKeywords *keywords,
                                      const char       *text,
                                      gssize            length,
                                      TcKeywordMatch   *match);

/* The built-in words of one kind for @language, for the Preferences
 * window: NULL-terminated, owned by the library; empty for a language
 * without a built-in list or for KEYWORD / MESSAGE. @language may be a
 * locale ("fr_CA") or NULL (English). */
const char * const *tc_keywords_builtin (TcInboundAction  action,
                                         const char      *language);

G_END_DECLS
