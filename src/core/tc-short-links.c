/* tc-short-links.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The short_links and link_clicks tables (schema 4, see tc-repository.c).
 * Codes are random (tc_links_generate_code()), so that they cannot be
 * guessed from one another; the primary key catches the rare collision and
 * a new code is drawn.
 */

#define G_LOG_DOMAIN "tc-short-links"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tc-links.h"
#include "tc-repository-private.h"
#include "tc-short-links.h"

/* Draws before giving up: with 62^8 codes a second collision in a row
 * means something else is wrong (a broken random source). */
#define MAX_CODE_ATTEMPTS 8

gboolean
tc_short_links_code_is_valid (const char *code)
{
  gsize i;

  if (code == NULL)
    return FALSE;

  for (i = 0; code[i] != '\0'; i++)
    {
      if (i >= TC_LINKS_CODE_LENGTH || !g_ascii_isalnum (code[i]))
        return FALSE;
    }

  return i == TC_LINKS_CODE_LENGTH;
}

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* ------------------------------------------------------------------------
 * Worker side
 */

char *
_tc_short_link_alloc (const char  *long_url,
                      guint        index,
                      gpointer     user_data,
                      GError     **error)
{
  TcShortLinkTarget *target = user_data;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (long_url != NULL, NULL);
  g_return_val_if_fail (target != NULL && target->db != NULL, NULL);

  stmt = _tc_db_prepare (target->db,
                         "INSERT INTO short_links (code, url, contact_id, origin, created_at)"
                         " VALUES (?1, ?2, ?3, ?4, ?5)",
                         error);
  if (stmt == NULL)
    return NULL;

  for (guint attempt = 0; attempt < MAX_CODE_ATTEMPTS; attempt++)
    {
      g_autofree char *code = tc_links_generate_code (error);
      int rc;

      if (code == NULL)
        return NULL;

      sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, long_url, -1, SQLITE_TRANSIENT);
      if (target->contact_id > 0)
        sqlite3_bind_int64 (stmt, 3, target->contact_id);
      else
        sqlite3_bind_null (stmt, 3);
      sqlite3_bind_text (stmt, 4, target->origin != NULL ? target->origin : "", -1,
                         SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 5, now_unix ());

      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        {
          sqlite3_reset (stmt);
          return g_steal_pointer (&code);
        }

      if (sqlite3_extended_errcode (_tc_db_get_handle (target->db)) != SQLITE_CONSTRAINT_PRIMARYKEY)
        {
          _tc_db_set_error (target->db, error, "Cannot store the short link");
          sqlite3_reset (stmt);
          return NULL;
        }

      /* The code is taken: draw another. */
      sqlite3_reset (stmt);
    }

  g_set_error (error, TC_DB_ERROR, TC_DB_ERROR_CONSTRAINT,
               _("Cannot find a free short-link code after %d attempts"), MAX_CODE_ATTEMPTS);
  return NULL;
}

char *
_tc_db_resolve_short_link (TcDb        *db,
                           const char  *code,
                           GError     **error)
{
  sqlite3_stmt *stmt;
  char *url = NULL;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (code != NULL, NULL);

  stmt = _tc_db_prepare (db, "SELECT url FROM short_links WHERE code = ?1", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    url = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc == SQLITE_DONE)
    g_set_error (error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND,
                 _("No short link has the code “%s”"), code);
  else
    _tc_db_set_error (db, error, "Cannot look up the short link");
  sqlite3_reset (stmt);

  return url;
}

/* Valid UTF-8 (a header may hold anything) of at most
 * TC_SHORT_LINKS_MAX_USER_AGENT bytes, cut between characters. */
static char *
clean_user_agent (const char *user_agent)
{
  g_autofree char *valid = NULL;
  gsize len;

  if (user_agent == NULL)
    return g_strdup ("");

  /* Only the head is kept: validate no more than that (plus one character). */
  len = strnlen (user_agent, TC_SHORT_LINKS_MAX_USER_AGENT + 4);
  valid = g_utf8_make_valid (user_agent, (gssize) len);
  len = strlen (valid);
  if (len > TC_SHORT_LINKS_MAX_USER_AGENT)
    {
      const char *end = valid + TC_SHORT_LINKS_MAX_USER_AGENT;

      /* Back to the start of the character that straddles the limit. */
      while (end > valid && ((guchar) *end & 0xC0) == 0x80)
        end--;
      len = (gsize) (end - valid);
    }

  return g_strndup (valid, len);
}

gboolean
_tc_db_record_link_click (TcDb        *db,
                          const char  *code,
                          const char  *user_agent,
                          gint64       now,
                          GError     **error)
{
  g_autofree char *agent = clean_user_agent (user_agent);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (code != NULL, FALSE);

  /* INSERT … SELECT: an unknown code inserts nothing (no foreign-key error). */
  stmt = _tc_db_prepare (db,
                         "INSERT INTO link_clicks (code, clicked_at, user_agent)"
                         " SELECT code, ?2, ?3 FROM short_links WHERE code = ?1",
                         error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_text (stmt, 3, agent, -1, SQLITE_TRANSIENT);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot record the click");
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);

  if (sqlite3_changes (_tc_db_get_handle (db)) == 0)
    {
      g_set_error (error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND,
                   _("No short link has the code “%s”"), code);
      return FALSE;
    }

  return TRUE;
}

typedef struct
{
  char   *text;
  char   *short_domain;
  gint64  contact_id;
  char   *origin;
} ShortenData;

static void
shorten_data_free (ShortenData *data)
{
  g_free (data->text);
  g_free (data->short_domain);
  g_free (data->origin);
  g_free (data);
}

static gpointer
shorten_job (TcDb          *db,
             gpointer       job_data,
             GCancellable  *cancellable,
             GError       **error)
{
  ShortenData *data = job_data;
  TcShortLinkTarget target = { db, data->contact_id, data->origin };
  char *text;

  if (!_tc_db_begin (db, error))
    return NULL;

  text = tc_links_shorten_text (data->text, data->short_domain, _tc_short_link_alloc, &target,
                                error);
  if (text == NULL)
    {
      _tc_db_rollback (db);
      return NULL;
    }

  if (!_tc_db_commit (db, error))
    {
      _tc_db_rollback (db);
      g_free (text);
      return NULL;
    }

  return text;
}

static gpointer
resolve_job (TcDb          *db,
             gpointer       job_data,
             GCancellable  *cancellable,
             GError       **error)
{
  return _tc_db_resolve_short_link (db, job_data, error);
}

typedef struct
{
  char   *code;
  char   *user_agent;
  gint64  now;
} ClickData;

static void
click_data_free (ClickData *data)
{
  g_free (data->code);
  g_free (data->user_agent);
  g_free (data);
}

static gpointer
click_job (TcDb          *db,
           gpointer       job_data,
           GCancellable  *cancellable,
           GError       **error)
{
  ClickData *data = job_data;

  if (!_tc_db_record_link_click (db, data->code, data->user_agent, data->now, error))
    return NULL;

  return GINT_TO_POINTER (1);
}

static gpointer
count_job (TcDb          *db,
           gpointer       job_data,
           GCancellable  *cancellable,
           GError       **error)
{
  const char *prefix = job_data;
  g_autofree TcLinkStats *stats = g_new0 (TcLinkStats, 1);
  g_autofree char *upper = NULL;
  gsize len = strlen (prefix);
  sqlite3_stmt *stmt;

  if (!g_utf8_validate (prefix, (gssize) len, NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The origin prefix is not valid UTF-8"));
      return NULL;
    }

  /* The origins that start with @prefix are, in byte order (SQLite's
   * BINARY collation), those from @prefix up to @prefix with its last byte
   * raised by one: a range the origin index answers. Valid UTF-8 never
   * holds 0xFF, so "\xff" bounds everything. */
  if (len == 0)
    upper = g_strdup ("\xff");
  else
    {
      upper = g_strdup (prefix);
      upper[len - 1] = (char) ((guchar) upper[len - 1] + 1);
    }

  stmt = _tc_db_prepare (db,
                         "SELECT"
                         " (SELECT count(*) FROM short_links WHERE origin >= ?1 AND origin < ?2),"
                         " count(c.id),"
                         " count(DISTINCT s.contact_id)"
                         " FROM short_links s JOIN link_clicks c ON c.code = s.code"
                         " WHERE s.origin >= ?1 AND s.origin < ?2",
                         error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, prefix, (int) len, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, upper, (int) len + (len == 0), SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _tc_db_set_error (db, error, "Cannot count the clicks");
      sqlite3_reset (stmt);
      return NULL;
    }

  stats->links = (guint64) sqlite3_column_int64 (stmt, 0);
  stats->clicks = (guint64) sqlite3_column_int64 (stmt, 1);
  stats->unique_contacts = (guint64) sqlite3_column_int64 (stmt, 2);
  sqlite3_reset (stmt);

  return g_steal_pointer (&stats);
}

/* ------------------------------------------------------------------------
 * Main-thread side: a GTask of our own (with its source tag) around a job.
 */

typedef struct
{
  GDestroyNotify result_free;
} Call;

static void
on_job_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  GError *error = NULL;
  gpointer value;

  value = _tc_repository_run_finish (TC_REPOSITORY (object), result, &error);
  if (value == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, value, call->result_free);
}

static void
run_call (TcRepository        *repository,
          gpointer             source_tag,
          TcDbJobKind          kind,
          TcDbJobFunc          func,
          gpointer             job_data,
          GDestroyNotify       job_data_free,
          GDestroyNotify       result_free,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task;
  Call *call;

  call = g_new0 (Call, 1);
  call->result_free = result_free;

  task = g_task_new (repository, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, g_free);
  /* A committed write is reported as done even if cancelled meanwhile. */
  if (kind == TC_DB_JOB_WRITE)
    g_task_set_check_cancellable (task, FALSE);

  /* No "contacts-changed": no contact list shows links. */
  _tc_repository_run_async_full (repository, kind, func, job_data, job_data_free, result_free,
                                 FALSE, cancellable, on_job_done_cb, task);
}

static gpointer
finish_call (TcRepository  *repository,
             GAsyncResult  *result,
             gpointer       source_tag,
             GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (g_task_is_valid (result, repository), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tc_short_links_shorten_async (TcRepository        *repository,
                              const char          *text,
                              const char          *short_domain,
                              gint64               contact_id,
                              const char          *origin,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  ShortenData *data;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (text != NULL);
  g_return_if_fail (short_domain != NULL && short_domain[0] != '\0');
  g_return_if_fail (strstr (short_domain, "://") == NULL);
  g_return_if_fail (contact_id >= 0);

  data = g_new0 (ShortenData, 1);
  data->text = g_strdup (text);
  data->short_domain = g_strdup (short_domain);
  data->contact_id = contact_id;
  data->origin = g_strdup (origin);

  run_call (repository, tc_short_links_shorten_async, TC_DB_JOB_WRITE, shorten_job,
            data, (GDestroyNotify) shorten_data_free, g_free,
            cancellable, callback, user_data);
}

char *
tc_short_links_shorten_finish (TcRepository  *repository,
                               GAsyncResult  *result,
                               GError       **error)
{
  return finish_call (repository, result, tc_short_links_shorten_async, error);
}

void
tc_short_links_resolve_async (TcRepository        *repository,
                              const char          *code,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (code != NULL);

  run_call (repository, tc_short_links_resolve_async, TC_DB_JOB_READ, resolve_job,
            g_strdup (code), g_free, g_free, cancellable, callback, user_data);
}

char *
tc_short_links_resolve_finish (TcRepository  *repository,
                               GAsyncResult  *result,
                               GError       **error)
{
  return finish_call (repository, result, tc_short_links_resolve_async, error);
}

void
tc_short_links_record_click_async (TcRepository        *repository,
                                   const char          *code,
                                   const char          *user_agent,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  ClickData *data;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (code != NULL);

  data = g_new0 (ClickData, 1);
  data->code = g_strdup (code);
  data->user_agent = g_strdup (user_agent);
  data->now = now_unix ();

  run_call (repository, tc_short_links_record_click_async, TC_DB_JOB_WRITE, click_job,
            data, (GDestroyNotify) click_data_free, NULL, cancellable, callback, user_data);
}

gboolean
tc_short_links_record_click_finish (TcRepository  *repository,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return finish_call (repository, result, tc_short_links_record_click_async, error) != NULL;
}

void
tc_short_links_count_clicks_async (TcRepository        *repository,
                                   const char          *origin_prefix,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (TC_IS_REPOSITORY (repository));

  run_call (repository, tc_short_links_count_clicks_async, TC_DB_JOB_READ, count_job,
            g_strdup (origin_prefix != NULL ? origin_prefix : ""), g_free, g_free,
            cancellable, callback, user_data);
}

gboolean
tc_short_links_count_clicks_finish (TcRepository  *repository,
                                    GAsyncResult  *result,
                                    TcLinkStats   *stats,
                                    GError       **error)
{
  g_autofree TcLinkStats *value = NULL;

  value = finish_call (repository, result, tc_short_links_count_clicks_async, error);
  if (value == NULL)
    return FALSE;

  if (stats != NULL)
    *stats = *value;

  return TRUE;
}
