/* tc-readiness.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The readiness check: what a careful marketer answers before texting
 * customers (the answers, kept as workspace settings "readiness.*"), and an
 * inspection of the workspace against them — senders, consent records,
 * compliance settings, quiet hours, prices, providers, webhooks, WhatsApp
 * templates — giving a list of checks in plain words, each with the place
 * where it is fixed, and a score from 0 to 100 weighted by severity.
 *
 * The inspection is one read job on the repository: it never touches the
 * network. What needs the network (a provider's connection test, whether
 * the public URL reaches Textcast) is done by src/net/tc-readiness-net.h,
 * which records its outcome with tc_readiness_record_test_async(); the
 * inspection reads that record, and counts it only while the settings it
 * was made with are unchanged.
 */

#pragma once

#include <gio/gio.h>

#include "tc-types.h"

G_BEGIN_DECLS

/* The settings the answers live in ("readiness." + the answer's key). */
#define TC_SETTING_READINESS_PREFIX      "readiness."
/* The recorded outcome of a network check: + "twilio", "whatsapp",
 * "webhooks". JSON {"ok":true,"at":UNIX,"message":"…","config":"…"}. */
#define TC_SETTING_READINESS_TEST_PREFIX "readiness.test."

/**
 * TcReadinessSeverity:
 * @TC_READINESS_INFO: worth knowing; weight 1 in the score
 * @TC_READINESS_WARNING: should be fixed before a real campaign; weight 3
 * @TC_READINESS_CRITICAL: breaks the law or stops messages; weight 6
 */
typedef enum
{
  TC_READINESS_INFO,
  TC_READINESS_WARNING,
  TC_READINESS_CRITICAL,
} TcReadinessSeverity;

/* "info", "warning", "critical". */
const char *tc_readiness_severity_to_string (TcReadinessSeverity severity);
guint       tc_readiness_severity_weight    (TcReadinessSeverity severity);

/* The questions. Each answer is text in its setting:
 *   use_cases      comma list of: order_updates, appointments, passcodes,
 *                  restock, deals, launches, events, cart_abandonment,
 *                  birthdays
 *   purposes       transactional | promotional | both
 *   channels       comma list of: sms, whatsapp
 *   budget         what may be spent a month, in the price table's
 *                  currency (a number, e.g. "250" or "99.50")
 *   volume         messages a month (a whole number)
 *   optin_sources  comma list of: web_form, checkout, keyword, qr_code,
 *                  import, api, manual
 *   goals          comma list of: deliveries, clicks, replies, revenue,
 *                  opt_outs
 * An empty value clears the answer. */
typedef enum
{
  TC_READINESS_ANSWER_USE_CASES,
  TC_READINESS_ANSWER_PURPOSES,
  TC_READINESS_ANSWER_CHANNELS,
  TC_READINESS_ANSWER_BUDGET,
  TC_READINESS_ANSWER_VOLUME,
  TC_READINESS_ANSWER_OPTIN_SOURCES,
  TC_READINESS_ANSWER_GOALS,
} TcReadinessAnswer;

#define TC_READINESS_N_ANSWERS (TC_READINESS_ANSWER_GOALS + 1)

/* "use_cases", …; the setting is TC_SETTING_READINESS_PREFIX + this. */
const char *tc_readiness_answer_to_string   (TcReadinessAnswer  answer);
gboolean    tc_readiness_answer_from_string (const char        *str,
                                             TcReadinessAnswer *answer);
/* The values a list or choice answer accepts (NULL-terminated, static);
 * NULL for budget and volume. */
const char * const *tc_readiness_answer_choices (TcReadinessAnswer answer);
/* Whether a use case (one of the use_cases choices) is promotional. */
gboolean    tc_readiness_use_case_is_promotional (const char *use_case);
/* Checks @value for @answer and returns it in its stored form (a list
 * without repeats, in the order of the choices; a number as digits), or
 * NULL with G_IO_ERROR_INVALID_ARGUMENT in plain words naming what is
 * accepted. "" stays "" (the answer cleared). */
char       *tc_readiness_answer_normalize   (TcReadinessAnswer  answer,
                                             const char        *value,
                                             GError           **error) G_GNUC_WARN_UNUSED_RESULT;

/* The answers, as read from the settings: each NULL when unanswered. */
typedef struct
{
  char *values[TC_READINESS_N_ANSWERS];
} TcReadinessAnswers;

TcReadinessAnswers *tc_readiness_answers_new      (void);
void                tc_readiness_answers_free     (TcReadinessAnswers *answers);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcReadinessAnswers, tc_readiness_answers_free)
/* Whether the list answer @answer contains @choice. */
gboolean            tc_readiness_answers_has      (const TcReadinessAnswers *answers,
                                                   TcReadinessAnswer         answer,
                                                   const char               *choice);
/* From a settings table (tc_settings_get_all_async()); NULL: none. */
TcReadinessAnswers *tc_readiness_answers_new_from_table (GHashTable *settings);

/* Saves the non-NULL values of @answers (after
 * tc_readiness_answer_normalize(); "" removes the answer) in one
 * transaction. Fails, saving nothing, when one value is not valid. */
void        tc_readiness_save_answers_async  (TcRepository             *repository,
                                              const TcReadinessAnswers *answers,
                                              GCancellable             *cancellable,
                                              GAsyncReadyCallback       callback,
                                              gpointer                  user_data);
gboolean    tc_readiness_save_answers_finish (TcRepository             *repository,
                                              GAsyncResult             *result,
                                              GError                  **error);

/* One check of the inspection. Strings owned. */
typedef struct
{
  char                *id;          /* stable: "senders.separate" */
  TcReadinessSeverity  severity;
  gboolean             passed;
  char                *title;       /* what is missing, or what is in place */
  char                *explanation; /* why it matters and what to do, plain words */
  char                *because;     /* the answer that made it relevant ("purposes"), or NULL */
  char                *place;       /* where to fix it: "preferences:senders", "templates", … */
} TcReadinessCheck;

/* Places (stable ids a window maps to what it opens):
 *   readiness:questions   the questions of the check itself
 *   preferences:messages  Preferences → Messages (brand, opt-out, links, endpoint)
 *   preferences:compliance, preferences:senders, preferences:providers,
 *   preferences:prices    the other Preferences pages
 *   templates             the Templates section
 *   contacts:import       importing contacts (with their consent) */

typedef struct
{
  GPtrArray *checks;   /* (element-type TcReadinessCheck): failed first, by severity */
  guint      score;    /* 0–100 */
  guint      n_failed;
  TcReadinessAnswers *answers;
} TcReadinessReport;

void        tc_readiness_report_free         (TcReadinessReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcReadinessReport, tc_readiness_report_free)
/* The check @id, or NULL when it was not relevant. */
const TcReadinessCheck *tc_readiness_report_find (const TcReadinessReport *report,
                                                  const char              *id);
/* {"score":N,"failed":N,"answers":{…},"findings":[{"id","severity",
 *  "title","explanation","because","place"}…],"passed":[{…}…]} */
char       *tc_readiness_report_to_json      (const TcReadinessReport *report) G_GNUC_WARN_UNUSED_RESULT;

/* Inspects the workspace against its answers at @now (unix seconds). */
void        tc_readiness_inspect_async       (TcRepository        *repository,
                                              gint64               now,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
TcReadinessReport *tc_readiness_inspect_finish (TcRepository      *repository,
                                                GAsyncResult      *result,
                                                GError           **error) G_GNUC_WARN_UNUSED_RESULT;

/* Records the outcome of a network check @what ("twilio", "whatsapp",
 * "webhooks") made at @at, with the settings it depends on as they are
 * now, so that changing them makes the check due again. */
void        tc_readiness_record_test_async   (TcRepository        *repository,
                                              const char          *what,
                                              gboolean             ok,
                                              const char          *message,
                                              gint64               at,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean    tc_readiness_record_test_finish  (TcRepository        *repository,
                                              GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
