/* tc-test-util.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the core test suites share: a repository in a temporary folder,
 * opened for each test and closed and removed after it.
 */

#pragma once

#include <glib.h>

#include "tc-repository.h"

G_BEGIN_DECLS

typedef struct
{
  char         *dir;
  char         *path;
  TcRepository *repo;
} TcTestRepo;

/* Removes @path, a file or a folder with everything in it. */
void tc_test_rm_rf              (const char   *path);
/* Opens @repo, failing the test on an error. */
void tc_test_open_ok            (TcRepository *repo);
/* Lets the completion idles of finished jobs run, so that nothing holds a
 * reference to the repository any more. */
void tc_test_drain_main_context (void);
/* A new folder from @tmp_template (for g_dir_make_tmp()) and a repository
 * at @db_name inside it (it may name a subfolder that does not exist yet),
 * opened. */
void tc_test_repo_set_up        (TcTestRepo   *f,
                                 const char   *tmp_template,
                                 const char   *db_name);
/* Closes the repository (if any), checks that nothing else holds it, and
 * removes the folder. */
void tc_test_repo_tear_down     (TcTestRepo   *f);

/* Closes @f's repository and opens the same file on a new repository
 * object: what a restarted process sees. */
void    tc_test_repo_reopen (TcTestRepo *f);

/* Reads the database at @path on a connection of their own, as another
 * process would, failing the test on any SQLite error. */
/* The first column of the one row @sql returns. */
gint64  tc_test_sql_int     (const char *path,
                             const char *sql);
/* The first column of the first row as text, or %NULL without a row. */
char   *tc_test_sql_text    (const char *path,
                             const char *sql);
/* Every row, its columns joined with "|" (NULL as "NULL"), rows ending
 * with "\n". */
char   *tc_test_sql_rows    (const char *path,
                             const char *sql);
/* Runs @sql (several statements may follow each other) on the database at
 * @path (made if there is none), waiting up to 5 s for the writer. */
void    tc_test_sql_exec    (const char *path,
                             const char *sql);

/* SQL that takes a schema 13 database back to schema 12 (the index of
 * urgent outbox rows). */
#define TC_TEST_UNDO_SCHEMA_13 \
  "DROP INDEX outbox_urgent;"

/* SQL that takes a schema 13 database back to schema 11 (campaign
 * counters). */
#define TC_TEST_UNDO_SCHEMA_12 \
  TC_TEST_UNDO_SCHEMA_13 \
  "DROP TABLE campaign_hours; DROP TABLE campaign_counts;"

/* SQL that takes a schema 12 database back to schema 10 (journeys). */
#define TC_TEST_UNDO_SCHEMA_11 \
  TC_TEST_UNDO_SCHEMA_12 \
  "DROP TABLE journey_enrollments; DROP TABLE journey_versions; DROP TABLE journeys;" \
  "DELETE FROM sqlite_sequence WHERE name = 'journeys';"

/* SQL that takes a schema 12 database back to schema 9 (the inbox's
 * read marks). */
#define TC_TEST_UNDO_SCHEMA_10 \
  TC_TEST_UNDO_SCHEMA_11 \
  "DROP INDEX inbound_unread; ALTER TABLE inbound_messages DROP COLUMN read_at;"

/* SQL that takes a schema 12 database back to schema 8 (campaigns). */
#define TC_TEST_UNDO_SCHEMA_9 \
  TC_TEST_UNDO_SCHEMA_10 \
  "DROP TABLE campaign_recipients; DROP TABLE campaigns; DROP INDEX outbox_origin;" \
  "DELETE FROM sqlite_sequence WHERE name = 'campaigns';"

/* SQL that takes a schema 9 database back to schema 7 (status polling,
 * events, segments). */
#define TC_TEST_UNDO_SCHEMA_8 \
  TC_TEST_UNDO_SCHEMA_9 \
  "DROP TABLE events; DROP TABLE segments; DROP INDEX outbox_poll;" \
  "ALTER TABLE outbox DROP COLUMN poll_at; ALTER TABLE outbox DROP COLUMN polls;"

/* SQL that takes a schema 8 database back to schema 6 (the send engine's
 * outbox columns and history). */
#define TC_TEST_UNDO_SCHEMA_7 \
  TC_TEST_UNDO_SCHEMA_8 \
  "DROP TABLE outbox_events;" \
  "DROP INDEX outbox_pending; DROP INDEX outbox_provider_id;" \
  "DROP INDEX outbox_sender_sent; DROP INDEX outbox_sending;" \
  "ALTER TABLE outbox DROP COLUMN media_url; ALTER TABLE outbox DROP COLUMN wa_template;" \
  "ALTER TABLE outbox DROP COLUMN content_sid; ALTER TABLE outbox DROP COLUMN content_variables;" \
  "ALTER TABLE outbox DROP COLUMN segments; ALTER TABLE outbox DROP COLUMN cost;" \
  "ALTER TABLE outbox DROP COLUMN attempts; ALTER TABLE outbox DROP COLUMN claimed_at;" \
  "ALTER TABLE outbox DROP COLUMN error_code; ALTER TABLE outbox DROP COLUMN delivered_at;" \
  "ALTER TABLE outbox DROP COLUMN read_at; ALTER TABLE outbox DROP COLUMN failed_at;" \
  "ALTER TABLE outbox DROP COLUMN provider; ALTER TABLE outbox DROP COLUMN price;" \
  "ALTER TABLE outbox DROP COLUMN price_currency;"

/* SQL that takes a schema 7 database back to schema 5's consent storage
 * (for tests that rewind a workspace to check an older migration). */
#define TC_TEST_UNDO_SCHEMA_6 \
  TC_TEST_UNDO_SCHEMA_7 \
  "DROP TABLE consent_events; DROP TABLE consent_state; DROP TABLE suppressions;" \
  "DROP TABLE senders; DROP TABLE inbound_messages; DROP TABLE outbox;" \
  "DELETE FROM settings WHERE key = 'privacy.salt';" \
  "CREATE TABLE consents (" \
  "  id INTEGER PRIMARY KEY," \
  "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE," \
  "  channel TEXT NOT NULL, purpose TEXT NOT NULL, status TEXT NOT NULL," \
  "  method TEXT NOT NULL DEFAULT 'single', source TEXT NOT NULL DEFAULT ''," \
  "  wording TEXT NOT NULL DEFAULT '', recorded_at INTEGER NOT NULL);"

G_END_DECLS
