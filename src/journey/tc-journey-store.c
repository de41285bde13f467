/* tc-journey-store.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Journeys in the database (schema 11; see tc-journey-store.h for the
 * rules of versions). The main thread turns a TcJourney into its JSON
 * before a job starts, so worker threads never touch an object the caller
 * may still be editing; jobs that return journeys build new ones.
 */

#define G_LOG_DOMAIN "tc-journey-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tc-journey-store.h"
#include "tc-repository-private.h"

typedef struct
{
  gint64     id;
  int        version;
  char      *name;
  char      *description;
  char      *origin;
  char      *graph;
  TcJourney *journey;   /* validate: a copy only the job uses */
} JobData;

static void
job_data_free (JobData *data)
{
  g_free (data->name);
  g_free (data->description);
  g_free (data->origin);
  g_free (data->graph);
  g_clear_object (&data->journey);
  g_free (data);
}

static JobData *
job_data_new_for (TcJourney *journey)
{
  JobData *data = g_new0 (JobData, 1);

  if (journey != NULL)
    {
      data->id = tc_journey_get_id (journey);
      data->name = g_strdup (tc_journey_get_name (journey));
      data->description = g_strdup (tc_journey_get_description (journey));
      data->graph = tc_journey_to_string (journey);
    }

  return data;
}

void
tc_journey_info_free (TcJourneyInfo *info)
{
  if (info == NULL)
    return;
  g_clear_object (&info->journey);
  g_free (info->origin);
  g_free (info);
}

/* ------------------------------------------------------------------------
 * Worker side
 */

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gboolean
not_found (gint64   id,
           int      version,
           GError **error)
{
  if (version > 0)
    g_set_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_NOT_FOUND,
                 _("Journey %lld has no version %d"), (long long) id, version);
  else
    g_set_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_NOT_FOUND,
                 _("There is no journey %lld; the list of journeys shows "
                   "their ids"), (long long) id);

  return FALSE;
}

static gboolean
step_done (TcDb          *db,
           sqlite3_stmt  *stmt,
           const char    *what,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _tc_db_set_error (db, error, what);

  return TRUE;
}

static gboolean
template_exists_cb (const char *kind,
                    const char *name,
                    gpointer    user_data)
{
  TcDb *db = user_data;
  sqlite3_stmt *stmt;
  gboolean found;

  stmt = _tc_db_prepare (db, "SELECT 1 FROM templates WHERE kind = ?1 AND name = ?2", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);

  return found;
}

static TcJourney *
journey_from_graph (gint64       id,
                    int          version,
                    const char  *state,
                    const char  *graph,
                    GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  TcJourney *journey;
  TcJourneyState journey_state = TC_JOURNEY_DRAFT;

  journey = tc_journey_new_from_data (graph, -1, &local_error);
  if (journey == NULL)
    {
      g_set_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_INVALID,
                   _("Version %d of journey %lld cannot be read: %s"), version,
                   (long long) id, local_error->message);
      return NULL;
    }

  tc_journey_state_from_string (state, &journey_state);
  tc_journey_set_id (journey, id);
  tc_journey_set_version (journey, version);
  tc_journey_set_state (journey, journey_state);

  return journey;
}

static gboolean
insert_version (TcDb        *db,
                gint64       id,
                int          version,
                const char  *graph,
                gint64       now,
                GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _tc_db_prepare (db,
                         "INSERT INTO journey_versions (journey_id, version, graph, created_at,"
                         "                              updated_at)"
                         " VALUES (?1, ?2, ?3, ?4, ?4)",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, version);
  sqlite3_bind_text (stmt, 3, graph, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, now);

  return step_done (db, stmt, "Cannot save the journey version", error);
}

static gpointer
add_job (TcDb          *db,
         gpointer       job_data,
         GCancellable  *cancellable,
         GError       **error)
{
  JobData *data = job_data;
  sqlite3_stmt *stmt;
  gint64 now = now_unix ();
  gint64 id;

  if (!_tc_db_begin (db, error))
    return NULL;

  stmt = _tc_db_prepare (db,
                         "INSERT INTO journeys (name, description, origin, current_version,"
                         "                      created_at, updated_at)"
                         " VALUES (?1, ?2, ?3, 1, ?4, ?4)",
                         error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, data->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, data->description, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, data->origin != NULL ? data->origin : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, now);
  if (!step_done (db, stmt, "Cannot save the journey", error))
    goto fail;
  id = sqlite3_last_insert_rowid (_tc_db_get_handle (db));

  if (!insert_version (db, id, 1, data->graph, now, error) || !_tc_db_commit (db, error))
    goto fail;

  return g_memdup2 (&id, sizeof id);

fail:
  _tc_db_rollback (db);
  return NULL;
}

/* The journey's current version and whether it is frozen. */
static gboolean
load_current (TcDb      *db,
              gint64     id,
              int       *version,
              gboolean  *frozen,
              char     **graph,
              char     **state,
              GError   **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _tc_db_prepare (db,
                         "SELECT j.current_version, v.activated_at IS NOT NULL, v.graph, j.state"
                         " FROM journeys j JOIN journey_versions v"
                         "   ON v.journey_id = j.id AND v.version = j.current_version"
                         " WHERE j.id = ?1",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *version = sqlite3_column_int (stmt, 0);
      *frozen = sqlite3_column_int (stmt, 1) != 0;
      if (graph != NULL)
        *graph = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      if (state != NULL)
        *state = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
    }
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    return not_found (id, 0, error);
  if (rc != SQLITE_ROW)
    return _tc_db_set_error (db, error, "Cannot read the journey");

  return TRUE;
}

static gpointer
save_job (TcDb          *db,
          gpointer       job_data,
          GCancellable  *cancellable,
          GError       **error)
{
  JobData *data = job_data;
  sqlite3_stmt *stmt;
  gint64 now = now_unix ();
  gboolean frozen = FALSE;
  int version = 0;

  if (!_tc_db_begin (db, error))
    return NULL;
  if (!load_current (db, data->id, &version, &frozen, NULL, NULL, error))
    goto fail;

  if (frozen)
    {
      version++;
      if (!insert_version (db, data->id, version, data->graph, now, error))
        goto fail;
    }
  else
    {
      stmt = _tc_db_prepare (db,
                             "UPDATE journey_versions SET graph = ?3, updated_at = ?4"
                             " WHERE journey_id = ?1 AND version = ?2",
                             error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, data->id);
      sqlite3_bind_int (stmt, 2, version);
      sqlite3_bind_text (stmt, 3, data->graph, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, now);
      if (!step_done (db, stmt, "Cannot save the journey version", error))
        goto fail;
    }

  stmt = _tc_db_prepare (db,
                         "UPDATE journeys SET name = ?2, description = ?3, current_version = ?4,"
                         "  updated_at = ?5"
                         " WHERE id = ?1",
                         error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, data->id);
  sqlite3_bind_text (stmt, 2, data->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, data->description, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, version);
  sqlite3_bind_int64 (stmt, 5, now);
  if (!step_done (db, stmt, "Cannot save the journey", error) || !_tc_db_commit (db, error))
    goto fail;

  return g_memdup2 (&version, sizeof version);

fail:
  _tc_db_rollback (db);
  return NULL;
}

static gpointer
get_job (TcDb          *db,
         gpointer       job_data,
         GCancellable  *cancellable,
         GError       **error)
{
  JobData *data = job_data;
  sqlite3_stmt *stmt;
  TcJourney *journey = NULL;
  int rc;

  stmt = _tc_db_prepare (db,
                         "SELECT v.version, j.state, v.graph"
                         " FROM journeys j JOIN journey_versions v ON v.journey_id = j.id"
                         " WHERE j.id = ?1"
                         "   AND v.version = CASE WHEN ?2 > 0 THEN ?2 ELSE j.current_version END",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, data->id);
  sqlite3_bind_int (stmt, 2, data->version);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    journey = journey_from_graph (data->id, sqlite3_column_int (stmt, 0),
                                  (const char *) sqlite3_column_text (stmt, 1),
                                  (const char *) sqlite3_column_text (stmt, 2), error);
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    {
      /* Say whether the journey or only the version is missing. */
      int version = 0;
      gboolean frozen;

      if (data->version > 0 && load_current (db, data->id, &version, &frozen, NULL, NULL, NULL))
        not_found (data->id, data->version, error);
      else
        not_found (data->id, 0, error);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _tc_db_set_error (db, error, "Cannot read the journey");
      return NULL;
    }

  return journey;
}

static gpointer
list_job (TcDb          *db,
          gpointer       job_data,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(GPtrArray) list = NULL;
  sqlite3_stmt *stmt;
  int rc;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_journey_info_free);
  stmt = _tc_db_prepare (db,
                         "SELECT j.id, v.version, j.state, v.graph, j.active_version, j.origin,"
                         "       j.created_at, j.updated_at"
                         " FROM journeys j JOIN journey_versions v"
                         "   ON v.journey_id = j.id AND v.version = j.current_version"
                         " ORDER BY j.id",
                         error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(TcJourneyInfo) info = g_new0 (TcJourneyInfo, 1);

      info->journey = journey_from_graph (sqlite3_column_int64 (stmt, 0),
                                          sqlite3_column_int (stmt, 1),
                                          (const char *) sqlite3_column_text (stmt, 2),
                                          (const char *) sqlite3_column_text (stmt, 3), error);
      if (info->journey == NULL)
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      info->active_version = sqlite3_column_int (stmt, 4);
      info->origin = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      info->created_at = sqlite3_column_int64 (stmt, 6);
      info->updated_at = sqlite3_column_int64 (stmt, 7);
      g_ptr_array_add (list, g_steal_pointer (&info));
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot list the journeys");
      return NULL;
    }

  return g_steal_pointer (&list);
}

static gpointer
validate_job (TcDb          *db,
              gpointer       job_data,
              GCancellable  *cancellable,
              GError       **error)
{
  JobData *data = job_data;

  return tc_journey_validate (data->journey, template_exists_cb, db);
}

typedef struct
{
  int        version;
  GPtrArray *problems;   /* NULL when activated */
} ActivateResult;

static void
activate_result_free (ActivateResult *result)
{
  g_clear_pointer (&result->problems, g_ptr_array_unref);
  g_free (result);
}

static gpointer
activate_job (TcDb          *db,
              gpointer       job_data,
              GCancellable  *cancellable,
              GError       **error)
{
  JobData *data = job_data;
  g_autoptr(TcJourney) journey = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *graph = NULL;
  g_autofree char *state = NULL;
  ActivateResult *result;
  sqlite3_stmt *stmt;
  gint64 now = now_unix ();
  gboolean frozen = FALSE;
  int version = 0;

  if (!_tc_db_begin (db, error))
    return NULL;
  if (!load_current (db, data->id, &version, &frozen, &graph, &state, error))
    goto fail;

  /* Already running this version (a frozen current version is the
   * active one): nothing to check or change. */
  if (frozen && g_strcmp0 (state, "active") == 0)
    {
      _tc_db_rollback (db);
      result = g_new0 (ActivateResult, 1);
      result->version = version;
      return result;
    }

  journey = journey_from_graph (data->id, version, state, graph, error);
  if (journey == NULL)
    goto fail;
  problems = tc_journey_validate (journey, template_exists_cb, db);
  if (problems->len > 0)
    {
      _tc_db_rollback (db);
      result = g_new0 (ActivateResult, 1);
      result->version = version;
      result->problems = g_steal_pointer (&problems);
      return result;
    }

  stmt = _tc_db_prepare (db,
                         "UPDATE journey_versions SET activated_at = coalesce (activated_at, ?3)"
                         " WHERE journey_id = ?1 AND version = ?2",
                         error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, data->id);
  sqlite3_bind_int (stmt, 2, version);
  sqlite3_bind_int64 (stmt, 3, now);
  if (!step_done (db, stmt, "Cannot activate the journey", error))
    goto fail;

  stmt = _tc_db_prepare (db,
                         "UPDATE journeys SET state = 'active', active_version = ?2, updated_at = ?3"
                         " WHERE id = ?1",
                         error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, data->id);
  sqlite3_bind_int (stmt, 2, version);
  sqlite3_bind_int64 (stmt, 3, now);
  if (!step_done (db, stmt, "Cannot activate the journey", error) || !_tc_db_commit (db, error))
    goto fail;

  result = g_new0 (ActivateResult, 1);
  result->version = version;

  return result;

fail:
  _tc_db_rollback (db);
  return NULL;
}

static gpointer
pause_job (TcDb          *db,
           gpointer       job_data,
           GCancellable  *cancellable,
           GError       **error)
{
  JobData *data = job_data;
  g_autofree char *state = NULL;
  sqlite3_stmt *stmt;
  gboolean frozen;
  int version;

  if (!load_current (db, data->id, &version, &frozen, NULL, &state, error))
    return NULL;
  if (g_strcmp0 (state, "draft") == 0)
    {
      g_set_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_STATE,
                   _("Journey %lld is a draft; only an active journey can be "
                     "paused"), (long long) data->id);
      return NULL;
    }

  stmt = _tc_db_prepare (db,
                         "UPDATE journeys SET state = 'paused', updated_at = ?2"
                         " WHERE id = ?1 AND state = 'active'",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, data->id);
  sqlite3_bind_int64 (stmt, 2, now_unix ());
  if (!step_done (db, stmt, "Cannot pause the journey", error))
    return NULL;

  return GINT_TO_POINTER (1);
}

/* ------------------------------------------------------------------------
 * Main-thread side
 */

static void
on_job_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GDestroyNotify free_func = g_task_get_task_data (task);
  GError *error = NULL;
  gpointer value;

  value = _tc_repository_run_finish (TC_REPOSITORY (object), result, &error);
  if (value == NULL)
    g_task_return_error (task, error);
  else if (free_func == NULL)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_pointer (task, value, free_func);
}

static void
run_job (TcRepository        *repository,
         gpointer             source_tag,
         TcDbJobKind          kind,
         TcDbJobFunc          func,
         JobData             *data,
         GDestroyNotify       result_free,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  GTask *task = g_task_new (repository, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, result_free, NULL);
  if (kind == TC_DB_JOB_WRITE)
    /* A committed change is reported as done even if cancelled meanwhile. */
    g_task_set_check_cancellable (task, FALSE);

  /* No "contacts-changed": journeys change no contact. */
  _tc_repository_run_async_full (repository, kind, func, data, (GDestroyNotify) job_data_free,
                                 result_free, FALSE, cancellable, on_job_done_cb, task);
}

static gboolean
check_finish (TcRepository *repository,
              GAsyncResult *result,
              gpointer      source_tag)
{
  return g_task_is_valid (result, repository) &&
         g_task_get_source_tag (G_TASK (result)) == source_tag;
}

void
tc_journey_store_add_async (TcRepository        *repository,
                            TcJourney           *journey,
                            const char          *origin,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  JobData *data;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (TC_IS_JOURNEY (journey));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = job_data_new_for (journey);
  data->origin = g_strdup (origin);
  run_job (repository, tc_journey_store_add_async, TC_DB_JOB_WRITE, add_job, data, g_free,
           cancellable, callback, user_data);
}

gint64
tc_journey_store_add_finish (TcRepository  *repository,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_autofree gint64 *id = NULL;

  g_return_val_if_fail (TC_IS_REPOSITORY (repository), 0);
  g_return_val_if_fail (check_finish (repository, result, tc_journey_store_add_async), 0);

  id = g_task_propagate_pointer (G_TASK (result), error);

  return id != NULL ? *id : 0;
}

void
tc_journey_store_save_async (TcRepository        *repository,
                             TcJourney           *journey,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (TC_IS_JOURNEY (journey));
  g_return_if_fail (tc_journey_get_id (journey) > 0);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  run_job (repository, tc_journey_store_save_async, TC_DB_JOB_WRITE, save_job,
           job_data_new_for (journey), g_free, cancellable, callback, user_data);
}

int
tc_journey_store_save_finish (TcRepository  *repository,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_autofree int *version = NULL;

  g_return_val_if_fail (TC_IS_REPOSITORY (repository), 0);
  g_return_val_if_fail (check_finish (repository, result, tc_journey_store_save_async), 0);

  version = g_task_propagate_pointer (G_TASK (result), error);

  return version != NULL ? *version : 0;
}

void
tc_journey_store_get_async (TcRepository        *repository,
                            gint64               id,
                            int                  version,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  JobData *data;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (version >= 0);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = job_data_new_for (NULL);
  data->id = id;
  data->version = version;
  run_job (repository, tc_journey_store_get_async, TC_DB_JOB_READ, get_job, data,
           g_object_unref, cancellable, callback, user_data);
}

TcJourney *
tc_journey_store_get_finish (TcRepository  *repository,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (check_finish (repository, result, tc_journey_store_get_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tc_journey_store_list_async (TcRepository        *repository,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  run_job (repository, tc_journey_store_list_async, TC_DB_JOB_READ, list_job,
           job_data_new_for (NULL), (GDestroyNotify) g_ptr_array_unref, cancellable, callback,
           user_data);
}

GPtrArray *
tc_journey_store_list_finish (TcRepository  *repository,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (check_finish (repository, result, tc_journey_store_list_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tc_journey_store_validate_async (TcRepository        *repository,
                                 TcJourney           *journey,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  JobData *data;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (TC_IS_JOURNEY (journey));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = job_data_new_for (NULL);
  data->journey = tc_journey_dup (journey);
  run_job (repository, tc_journey_store_validate_async, TC_DB_JOB_READ, validate_job, data,
           (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
tc_journey_store_validate_finish (TcRepository  *repository,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (check_finish (repository, result, tc_journey_store_validate_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tc_journey_store_activate_async (TcRepository        *repository,
                                 gint64               id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  JobData *data;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = job_data_new_for (NULL);
  data->id = id;
  run_job (repository, tc_journey_store_activate_async, TC_DB_JOB_WRITE, activate_job, data,
           (GDestroyNotify) activate_result_free, cancellable, callback, user_data);
}

gboolean
tc_journey_store_activate_finish (TcRepository  *repository,
                                  GAsyncResult  *result,
                                  int           *version,
                                  GPtrArray    **problems,
                                  GError       **error)
{
  ActivateResult *value;
  gboolean ok;

  g_return_val_if_fail (TC_IS_REPOSITORY (repository), FALSE);
  g_return_val_if_fail (check_finish (repository, result, tc_journey_store_activate_async),
                        FALSE);

  if (version != NULL)
    *version = 0;
  if (problems != NULL)
    *problems = NULL;

  value = g_task_propagate_pointer (G_TASK (result), error);
  if (value == NULL)
    return FALSE;

  ok = value->problems == NULL;
  if (ok && version != NULL)
    *version = value->version;
  if (!ok)
    {
      g_set_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_PROBLEMS,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Version %d of the journey has %u problem; fix it before "
                                "activating",
                                "Version %d of the journey has %u problems; fix them before "
                                "activating",
                                value->problems->len),
                   value->version, value->problems->len);
      if (problems != NULL)
        *problems = g_steal_pointer (&value->problems);
    }
  activate_result_free (value);

  return ok;
}

void
tc_journey_store_pause_async (TcRepository        *repository,
                              gint64               id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  JobData *data;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = job_data_new_for (NULL);
  data->id = id;
  run_job (repository, tc_journey_store_pause_async, TC_DB_JOB_WRITE, pause_job, data, NULL,
           cancellable, callback, user_data);
}

gboolean
tc_journey_store_pause_finish (TcRepository  *repository,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), FALSE);
  g_return_val_if_fail (check_finish (repository, result, tc_journey_store_pause_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
