/* tc-template-store.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The template tables (schema 3, see tc-repository.c): templates holds
 * what belongs to a template as a whole (name, kind, approval status, the
 * current version), template_versions the content of each version, which
 * is appended and never edited.
 */

#define G_LOG_DOMAIN "tc-template-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tc-repository-private.h"
#include "tc-template-store.h"

/* How many of the newest contacts list_attribute_names looks at. */
#define ATTRIBUTE_SAMPLE_SIZE 20000

#define TEMPLATE_COLUMNS \
  "t.id, t.name, t.kind, v.version, t.status, t.status_reason, t.created_at, " \
  "t.updated_at, v.body, v.definition, v.language, v.purpose, v.created_at, " \
  "v.media_url, v.media_type"

/* ------------------------------------------------------------------------
 * Calls: a GTask of our own (with its source tag and task data) around a
 * repository job.
 */

typedef struct
{
  GDestroyNotify result_free;
  gpointer       data;
  GDestroyNotify data_free;
} Call;

static void
call_free (Call *call)
{
  if (call->data_free != NULL && call->data != NULL)
    call->data_free (call->data);
  g_free (call);
}

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
run_call (TcRepository        *self,
          gpointer             source_tag,
          TcDbJobKind          kind,
          TcDbJobFunc          func,
          gpointer             job_data,
          GDestroyNotify       job_data_free,
          GDestroyNotify       result_free,
          gpointer             task_data,
          GDestroyNotify       task_data_free,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task;
  Call *call;

  call = g_new0 (Call, 1);
  call->result_free = result_free;
  call->data = task_data;
  call->data_free = task_data_free;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  /* A committed write is reported as done even if cancelled meanwhile. */
  if (kind == TC_DB_JOB_WRITE)
    g_task_set_check_cancellable (task, FALSE);

  /* No "contacts-changed": no contact list shows templates. */
  _tc_repository_run_async_full (self, kind, func, job_data, job_data_free, result_free,
                                 FALSE, cancellable, on_job_done_cb, task);
}

static gpointer
finish_call (TcRepository  *self,
             GAsyncResult  *result,
             gpointer       source_tag,
             GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------
 * Worker side
 */

static const char *
column_text (sqlite3_stmt *stmt,
             int           col)
{
  const char *text = (const char *) sqlite3_column_text (stmt, col);

  return text != NULL ? text : "";
}

static void
bind_text (sqlite3_stmt *stmt,
           const char   *name,
           const char   *value)
{
  int idx = sqlite3_bind_parameter_index (stmt, name);

  g_assert (idx > 0);
  sqlite3_bind_text (stmt, idx, value != NULL ? value : "", -1, SQLITE_TRANSIENT);
}

static void
bind_int64 (sqlite3_stmt *stmt,
            const char   *name,
            gint64        value)
{
  int idx = sqlite3_bind_parameter_index (stmt, name);

  g_assert (idx > 0);
  sqlite3_bind_int64 (stmt, idx, value);
}

static gboolean
step_done (TcDb          *db,
           sqlite3_stmt  *stmt,
           GError       **error,
           const char    *what)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _tc_db_set_error (db, error, what);

  return TRUE;
}

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
set_unix_time (TcTemplate *template,
               gint64      created_at,
               gint64      updated_at)
{
  g_autoptr(GDateTime) created = g_date_time_new_from_unix_utc (created_at);
  g_autoptr(GDateTime) updated = g_date_time_new_from_unix_utc (updated_at);

  tc_template_set_created_at (template, created);
  tc_template_set_updated_at (template, updated);
}

/* Reads a row of TEMPLATE_COLUMNS. */
static TcTemplate *
template_from_stmt (sqlite3_stmt *stmt)
{
  TcTemplateKind kind = TC_TEMPLATE_KIND_SMS;
  TcPurpose purpose = TC_PURPOSE_PROMOTIONAL;
  TcTemplate *template;

  tc_template_kind_from_string (column_text (stmt, 2), &kind);
  tc_purpose_from_string (column_text (stmt, 11), &purpose);

  template = tc_template_new (kind, column_text (stmt, 1));
  tc_template_set_id (template, sqlite3_column_int64 (stmt, 0));
  tc_template_set_version (template, sqlite3_column_int (stmt, 3));
  tc_template_set_status (template, column_text (stmt, 4));
  tc_template_set_status_reason (template, column_text (stmt, 5));
  tc_template_set_body (template, column_text (stmt, 8));
  tc_template_set_definition (template, column_text (stmt, 9));
  tc_template_set_language (template, column_text (stmt, 10));
  tc_template_set_purpose (template, purpose);
  tc_template_set_media_url (template, column_text (stmt, 13));
  tc_template_set_media_type (template, column_text (stmt, 14));
  /* A version is as old as the version; the template's updated_at is the
   * last change of anything (a rename, a status). */
  set_unix_time (template, sqlite3_column_int64 (stmt, 6),
                 MAX (sqlite3_column_int64 (stmt, 7), sqlite3_column_int64 (stmt, 12)));

  return template;
}

static const char *
kind_label (TcTemplateKind kind)
{
  switch (kind)
    {
    case TC_TEMPLATE_KIND_SMS:
      return _("an SMS template");
    case TC_TEMPLATE_KIND_WHATSAPP:
      return _("a WhatsApp template");
    case TC_TEMPLATE_KIND_SNIPPET:
    default:
      return _("a snippet");
    }
}

/* Turns SQLite's "UNIQUE constraint failed: templates.kind, templates.name"
 * into words that say what to do. */
static gboolean
set_save_error (TcDb            *db,
                GError         **error,
                TcTemplateKind   kind,
                const char      *name)
{
  if (sqlite3_extended_errcode (_tc_db_get_handle (db)) == SQLITE_CONSTRAINT_UNIQUE)
    {
      g_set_error (error, TC_DB_ERROR, TC_DB_ERROR_CONSTRAINT,
                   _("There is already %s called “%s”: choose another name"),
                   kind_label (kind), name);
      return FALSE;
    }

  return _tc_db_set_error (db, error, "Cannot save the template");
}

static TcTemplate *
load_template (TcDb     *db,
               gint64    id,
               int       version,
               GError  **error)
{
  sqlite3_stmt *stmt;
  TcTemplate *template;
  int rc;

  if (version > 0)
    stmt = _tc_db_prepare (db,
                           "SELECT " TEMPLATE_COLUMNS " FROM templates t"
                           " JOIN template_versions v ON v.template_id = t.id AND v.version = :version"
                           " WHERE t.id = :id",
                           error);
  else
    stmt = _tc_db_prepare (db,
                           "SELECT " TEMPLATE_COLUMNS " FROM templates t"
                           " JOIN template_versions v ON v.template_id = t.id"
                           "  AND v.version = t.current_version"
                           " WHERE t.id = :id",
                           error);
  if (stmt == NULL)
    return NULL;
  bind_int64 (stmt, ":id", id);
  if (version > 0)
    bind_int64 (stmt, ":version", version);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      if (version > 0)
        /* Translators: a template's number, then a version number */
        g_set_error (error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND,
                     _("Template %lld has no version %d"), (long long) id, version);
      else
        g_set_error (error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND,
                     _("No template with id %lld"), (long long) id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _tc_db_set_error (db, error, "Cannot read the template");
      sqlite3_reset (stmt);
      return NULL;
    }
  template = template_from_stmt (stmt);
  sqlite3_reset (stmt);

  return template;
}

TcTemplate *
_tc_db_template_load (TcDb     *db,
                      gint64    id,
                      int       version,
                      GError  **error)
{
  return load_template (db, id, version, error);
}

static gboolean
name_taken (TcDb            *db,
            TcTemplateKind   kind,
            const char      *name,
            gboolean        *taken,
            GError         **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _tc_db_prepare (db, "SELECT 1 FROM templates WHERE kind = :kind AND name = :name", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, ":kind", tc_template_kind_to_string (kind));
  bind_text (stmt, ":name", name);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _tc_db_set_error (db, error, "Cannot look up the template name");

  *taken = rc == SQLITE_ROW;

  return TRUE;
}

static gboolean
insert_version (TcDb        *db,
                gint64       id,
                int          version,
                TcTemplate  *content,
                gint64       now,
                GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _tc_db_prepare (db,
                         "INSERT INTO template_versions (template_id, version, body, definition,"
                         "                               language, purpose, media_url,"
                         "                               media_type, created_at) "
                         "VALUES (:id, :version, :body, :definition, :language, :purpose,"
                         "        :media_url, :media_type, :now)",
                         error);
  if (stmt == NULL)
    return FALSE;
  bind_int64 (stmt, ":id", id);
  bind_int64 (stmt, ":version", version);
  bind_text (stmt, ":body", tc_template_get_body (content));
  bind_text (stmt, ":definition", tc_template_get_definition (content));
  bind_text (stmt, ":language", tc_template_get_language (content));
  bind_text (stmt, ":purpose", tc_purpose_to_string (tc_template_get_purpose (content)));
  bind_text (stmt, ":media_url", tc_template_get_media_url (content));
  bind_text (stmt, ":media_type", tc_template_get_media_type (content));
  bind_int64 (stmt, ":now", now);

  return step_done (db, stmt, error, "Cannot store the template version");
}

/* Inserts @template as a new template (version 1); sets its id. */
static gboolean
insert_template (TcDb        *db,
                 TcTemplate  *template,
                 gint64       now,
                 GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 id;

  stmt = _tc_db_prepare (db,
                         "INSERT INTO templates (name, kind, current_version, status, status_reason,"
                         "                       created_at, updated_at) "
                         "VALUES (:name, :kind, 1, :status, :reason, :now, :now) RETURNING id",
                         error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, ":name", tc_template_get_name (template));
  bind_text (stmt, ":kind", tc_template_kind_to_string (tc_template_get_kind (template)));
  bind_text (stmt, ":status", tc_template_get_status (template));
  bind_text (stmt, ":reason", tc_template_get_status_reason (template));
  bind_int64 (stmt, ":now", now);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      set_save_error (db, error, tc_template_get_kind (template), tc_template_get_name (template));
      sqlite3_reset (stmt);
      return FALSE;
    }
  id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (!insert_version (db, id, 1, template, now, error))
    return FALSE;

  tc_template_set_id (template, id);
  tc_template_set_version (template, 1);

  return TRUE;
}

static gboolean
name_is_blank (const char *name)
{
  for (const char *p = name; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

typedef struct
{
  gint64   id;
  int      version;
  char    *status;
  gint64   created_at;
  gint64   updated_at;
  gboolean new_version;
} SaveResult;

static void
save_result_free (SaveResult *result)
{
  g_free (result->status);
  g_free (result);
}

static gboolean
save_in_transaction (TcDb        *db,
                     TcTemplate  *template,
                     SaveResult  *result,
                     GError     **error)
{
  gint64 now = now_unix ();
  g_autoptr(TcTemplate) stored = NULL;
  gboolean content_changed;
  gboolean changed;
  sqlite3_stmt *stmt;
  int version;

  if (tc_template_get_id (template) == 0)
    {
      if (!insert_template (db, template, now, error))
        return FALSE;
      result->id = tc_template_get_id (template);
      result->version = 1;
      result->status = g_strdup (tc_template_get_status (template));
      result->created_at = now;
      result->updated_at = now;
      result->new_version = TRUE;
      return TRUE;
    }

  stored = load_template (db, tc_template_get_id (template), 0, error);
  if (stored == NULL)
    return FALSE;

  content_changed = tc_template_content_differs (template, stored);
  version = tc_template_get_version (stored);

  /* New content needs Meta's approval again. */
  if (content_changed && tc_template_get_kind (stored) == TC_TEMPLATE_KIND_WHATSAPP)
    {
      tc_template_set_status (template, "draft");
      tc_template_set_status_reason (template, "");
    }

  changed = content_changed ||
            g_strcmp0 (tc_template_get_name (template), tc_template_get_name (stored)) != 0 ||
            g_strcmp0 (tc_template_get_status (template), tc_template_get_status (stored)) != 0 ||
            g_strcmp0 (tc_template_get_status_reason (template),
                       tc_template_get_status_reason (stored)) != 0;

  result->id = tc_template_get_id (stored);
  result->created_at = g_date_time_to_unix (tc_template_get_created_at (stored));
  result->updated_at = g_date_time_to_unix (tc_template_get_updated_at (stored));
  result->status = g_strdup (tc_template_get_status (template));
  result->version = version;
  result->new_version = FALSE;

  if (!changed)
    return TRUE;

  if (content_changed)
    {
      version++;
      if (!insert_version (db, result->id, version, template, now, error))
        return FALSE;
    }

  stmt = _tc_db_prepare (db,
                         "UPDATE templates SET name = :name, status = :status,"
                         "  status_reason = :reason, current_version = :version,"
                         "  updated_at = :now "
                         "WHERE id = :id",
                         error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, ":name", tc_template_get_name (template));
  bind_text (stmt, ":status", tc_template_get_status (template));
  bind_text (stmt, ":reason", tc_template_get_status_reason (template));
  bind_int64 (stmt, ":version", version);
  bind_int64 (stmt, ":now", now);
  bind_int64 (stmt, ":id", result->id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_save_error (db, error, tc_template_get_kind (stored), tc_template_get_name (template));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);

  result->version = version;
  result->new_version = content_changed;
  result->updated_at = now;

  return TRUE;
}

static gpointer
save_job (TcDb          *db,
          gpointer       job_data,
          GCancellable  *cancellable,
          GError       **error)
{
  TcTemplate *template = job_data;
  SaveResult *result;

  if (name_is_blank (tc_template_get_name (template)))
    {
      g_set_error_literal (error, TC_DB_ERROR, TC_DB_ERROR_CONSTRAINT,
                           _("A template needs a name"));
      return NULL;
    }

  result = g_new0 (SaveResult, 1);
  if (!_tc_db_begin (db, error))
    {
      save_result_free (result);
      return NULL;
    }

  if (!save_in_transaction (db, template, result, error) ||
      !_tc_db_commit (db, error))
    {
      _tc_db_rollback (db);
      save_result_free (result);
      return NULL;
    }

  return result;
}

typedef struct
{
  int   kind;
  char *name;
  gint64 id;
  int   version;
} GetData;

static void
get_data_free (GetData *data)
{
  g_free (data->name);
  g_free (data);
}

static gpointer
list_job (TcDb          *db,
          gpointer       job_data,
          GCancellable  *cancellable,
          GError       **error)
{
  GetData *data = job_data;
  g_autoptr(GPtrArray) templates = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  /* SMS, then WhatsApp, then snippets: the order of the sections. */
  if (data->kind < 0)
    stmt = _tc_db_prepare (db,
                           "SELECT " TEMPLATE_COLUMNS " FROM templates t"
                           " JOIN template_versions v ON v.template_id = t.id"
                           "  AND v.version = t.current_version"
                           " ORDER BY CASE t.kind WHEN 'sms' THEN 0 WHEN 'whatsapp' THEN 1 ELSE 2 END,"
                           "  t.name COLLATE NOCASE, t.id",
                           error);
  else
    stmt = _tc_db_prepare (db,
                           "SELECT " TEMPLATE_COLUMNS " FROM templates t"
                           " JOIN template_versions v ON v.template_id = t.id"
                           "  AND v.version = t.current_version"
                           " WHERE t.kind = :kind"
                           " ORDER BY t.name COLLATE NOCASE, t.id",
                           error);
  if (stmt == NULL)
    return NULL;
  if (data->kind >= 0)
    bind_text (stmt, ":kind", tc_template_kind_to_string (data->kind));

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (templates, template_from_stmt (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot list templates");
      return NULL;
    }

  return g_steal_pointer (&templates);
}

static gpointer
get_job (TcDb          *db,
         gpointer       job_data,
         GCancellable  *cancellable,
         GError       **error)
{
  GetData *data = job_data;

  return load_template (db, data->id, data->version, error);
}

static gpointer
find_job (TcDb          *db,
          gpointer       job_data,
          GCancellable  *cancellable,
          GError       **error)
{
  GetData *data = job_data;
  g_autoptr(GString) kinds = g_string_new (NULL);
  sqlite3_stmt *stmt;
  gint64 id = 0;
  guint n_found = 0;
  int rc;

  if (data->kind >= 0)
    {
      stmt = _tc_db_prepare (db, "SELECT id, kind FROM templates WHERE name = :name AND kind = :kind",
                             error);
      if (stmt == NULL)
        return NULL;
      bind_text (stmt, ":kind", tc_template_kind_to_string (data->kind));
    }
  else
    {
      stmt = _tc_db_prepare (db, "SELECT id, kind FROM templates WHERE name = :name ORDER BY kind",
                             error);
      if (stmt == NULL)
        return NULL;
    }
  bind_text (stmt, ":name", data->name);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (stmt, 0);
      if (n_found++ > 0)
        g_string_append (kinds, ", ");
      g_string_append (kinds, column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot look up the template");
      return NULL;
    }

  if (n_found == 0)
    {
      g_set_error (error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND,
                   _("No template called “%s”"), data->name);
      return NULL;
    }
  if (n_found > 1)
    {
      g_set_error (error, TC_DB_ERROR, TC_DB_ERROR_CONSTRAINT,
                   _("Several templates are called “%s” (%s): say which kind"),
                   data->name, kinds->str);
      return NULL;
    }

  return load_template (db, id, data->version, error);
}

static char *
copy_name (const char *name,
           guint       n)
{
  /* Translators: the name of a duplicated template; %s is the original's name. */
  if (n < 2)
    return g_strdup_printf (_("Copy of %s"), name);

  /* Translators: the name of a duplicated template when "Copy of NAME" is
   * taken; %s is the original's name, %u a number from 2. */
  return g_strdup_printf (_("Copy of %s (%u)"), name, n);
}

static gpointer
duplicate_job (TcDb          *db,
               gpointer       job_data,
               GCancellable  *cancellable,
               GError       **error)
{
  gint64 *id = job_data;
  g_autoptr(TcTemplate) original = NULL;
  g_autoptr(TcTemplate) copy = NULL;
  const char *base;
  g_autofree char *name = NULL;
  gint64 now = now_unix ();

  if (!_tc_db_begin (db, error))
    return NULL;

  original = load_template (db, *id, 0, error);
  if (original == NULL)
    {
      _tc_db_rollback (db);
      return NULL;
    }

  base = tc_template_get_name (original);
  for (guint n = 1; n < G_MAXUINT; n++)
    {
      gboolean taken = TRUE;

      g_free (name);
      name = copy_name (base, n);
      if (!name_taken (db, tc_template_get_kind (original), name, &taken, error))
        {
          _tc_db_rollback (db);
          return NULL;
        }
      if (!taken)
        break;
    }

  copy = tc_template_copy (original);
  tc_template_set_id (copy, 0);
  tc_template_set_name (copy, name);
  tc_template_set_status (copy, "draft");
  tc_template_set_status_reason (copy, "");

  if (!insert_template (db, copy, now, error) ||
      !_tc_db_commit (db, error))
    {
      _tc_db_rollback (db);
      return NULL;
    }
  set_unix_time (copy, now, now);

  return g_steal_pointer (&copy);
}

static gpointer
delete_job (TcDb          *db,
            gpointer       job_data,
            GCancellable  *cancellable,
            GError       **error)
{
  gint64 *id = job_data;
  sqlite3_stmt *stmt;

  /* The versions go with it (ON DELETE CASCADE). */
  stmt = _tc_db_prepare (db, "DELETE FROM templates WHERE id = :id", error);
  if (stmt == NULL)
    return NULL;
  bind_int64 (stmt, ":id", *id);
  if (!step_done (db, stmt, error, "Cannot delete the template"))
    return NULL;

  if (sqlite3_changes (_tc_db_get_handle (db)) == 0)
    {
      g_set_error (error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND,
                   _("No template with id %lld"), (long long) *id);
      return NULL;
    }

  return GINT_TO_POINTER (1);
}

static gpointer
list_versions_job (TcDb          *db,
                   gpointer       job_data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  gint64 *id = job_data;
  g_autoptr(GPtrArray) versions = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _tc_db_prepare (db,
                         "SELECT " TEMPLATE_COLUMNS " FROM templates t"
                         " JOIN template_versions v ON v.template_id = t.id"
                         " WHERE t.id = :id ORDER BY v.version DESC",
                         error);
  if (stmt == NULL)
    return NULL;
  bind_int64 (stmt, ":id", *id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TcTemplate *version = template_from_stmt (stmt);
      g_autoptr(GDateTime) made = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, 12));

      /* Each version carries its own date. */
      tc_template_set_updated_at (version, made);
      g_ptr_array_add (versions, version);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot list the template versions");
      return NULL;
    }
  if (versions->len == 0)
    {
      g_set_error (error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND,
                   _("No template with id %lld"), (long long) *id);
      return NULL;
    }

  return g_steal_pointer (&versions);
}

typedef struct
{
  gint64  id;
  char   *status;
  char   *reason;
} StatusData;

static void
status_data_free (StatusData *data)
{
  g_free (data->status);
  g_free (data->reason);
  g_free (data);
}

static gpointer
set_status_job (TcDb          *db,
                gpointer       job_data,
                GCancellable  *cancellable,
                GError       **error)
{
  StatusData *data = job_data;
  sqlite3_stmt *stmt;

  stmt = _tc_db_prepare (db,
                         "UPDATE templates SET status = :status, status_reason = :reason,"
                         "  updated_at = :now WHERE id = :id",
                         error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, ":status", data->status);
  bind_text (stmt, ":reason", data->reason);
  bind_int64 (stmt, ":now", now_unix ());
  bind_int64 (stmt, ":id", data->id);
  if (!step_done (db, stmt, error, "Cannot change the template's status"))
    return NULL;

  if (sqlite3_changes (_tc_db_get_handle (db)) == 0)
    {
      g_set_error (error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND,
                   _("No template with id %lld"), (long long) data->id);
      return NULL;
    }

  return GINT_TO_POINTER (1);
}

static gpointer
attribute_names_job (TcDb          *db,
                     gpointer       job_data,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  stmt = _tc_db_prepare (db,
                         "SELECT DISTINCT j.key FROM"
                         " (SELECT attributes FROM contacts ORDER BY id DESC LIMIT "
                         G_STRINGIFY (ATTRIBUTE_SAMPLE_SIZE) ") c,"
                         " json_each (c.attributes) j"
                         " WHERE j.key <> '' ORDER BY j.key",
                         error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot list the custom attributes");
      return NULL;
    }

  return g_strv_builder_end (builder);
}

/* ------------------------------------------------------------------------
 * Public API
 */

static GetData *
get_data_new (int         kind,
              const char *name,
              gint64      id,
              int         version)
{
  GetData *data = g_new0 (GetData, 1);

  data->kind = kind;
  data->name = g_strdup (name);
  data->id = id;
  data->version = version;

  return data;
}

void
tc_repository_list_templates_async (TcRepository        *self,
                                    int                  kind,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (TC_IS_REPOSITORY (self));
  g_return_if_fail (kind >= -1 && kind <= TC_TEMPLATE_KIND_SNIPPET);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  run_call (self, tc_repository_list_templates_async, TC_DB_JOB_READ, list_job,
            get_data_new (kind, NULL, 0, 0), (GDestroyNotify) get_data_free,
            (GDestroyNotify) g_ptr_array_unref, NULL, NULL,
            cancellable, callback, user_data);
}

GPtrArray *
tc_repository_list_templates_finish (TcRepository  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return finish_call (self, result, tc_repository_list_templates_async, error);
}

void
tc_repository_get_template_async (TcRepository        *self,
                                  gint64               id,
                                  int                  version,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (TC_IS_REPOSITORY (self));
  g_return_if_fail (version >= 0);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  run_call (self, tc_repository_get_template_async, TC_DB_JOB_READ, get_job,
            get_data_new (-1, NULL, id, version), (GDestroyNotify) get_data_free,
            g_object_unref, NULL, NULL,
            cancellable, callback, user_data);
}

TcTemplate *
tc_repository_get_template_finish (TcRepository  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return finish_call (self, result, tc_repository_get_template_async, error);
}

void
tc_repository_find_template_async (TcRepository        *self,
                                   int                  kind,
                                   const char          *name,
                                   int                  version,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (TC_IS_REPOSITORY (self));
  g_return_if_fail (kind >= -1 && kind <= TC_TEMPLATE_KIND_SNIPPET);
  g_return_if_fail (name != NULL);
  g_return_if_fail (version >= 0);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  run_call (self, tc_repository_find_template_async, TC_DB_JOB_READ, find_job,
            get_data_new (kind, name, 0, version), (GDestroyNotify) get_data_free,
            g_object_unref, NULL, NULL,
            cancellable, callback, user_data);
}

TcTemplate *
tc_repository_find_template_finish (TcRepository  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return finish_call (self, result, tc_repository_find_template_async, error);
}

void
tc_repository_save_template_async (TcRepository        *self,
                                   TcTemplate          *template,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (TC_IS_REPOSITORY (self));
  g_return_if_fail (TC_IS_TEMPLATE (template));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  /* The worker writes a snapshot; @template is updated in _finish, on the
   * caller's thread. */
  run_call (self, tc_repository_save_template_async, TC_DB_JOB_WRITE, save_job,
            tc_template_copy (template), g_object_unref,
            (GDestroyNotify) save_result_free,
            g_object_ref (template), g_object_unref,
            cancellable, callback, user_data);
}

gboolean
tc_repository_save_template_finish (TcRepository  *self,
                                    GAsyncResult  *result,
                                    gboolean      *new_version,
                                    GError       **error)
{
  SaveResult *saved;
  TcTemplate *template;
  Call *call;
  g_autoptr(GDateTime) created_at = NULL;
  g_autoptr(GDateTime) updated_at = NULL;

  saved = finish_call (self, result, tc_repository_save_template_async, error);
  if (saved == NULL)
    return FALSE;

  call = g_task_get_task_data (G_TASK (result));
  template = call->data;
  created_at = g_date_time_new_from_unix_utc (saved->created_at);
  updated_at = g_date_time_new_from_unix_utc (saved->updated_at);

  g_object_freeze_notify (G_OBJECT (template));
  tc_template_set_id (template, saved->id);
  tc_template_set_version (template, saved->version);
  tc_template_set_status (template, saved->status);
  if (g_strcmp0 (saved->status, "draft") == 0)
    tc_template_set_status_reason (template, "");
  tc_template_set_created_at (template, created_at);
  tc_template_set_updated_at (template, updated_at);
  g_object_thaw_notify (G_OBJECT (template));

  if (new_version != NULL)
    *new_version = saved->new_version;
  save_result_free (saved);

  return TRUE;
}

void
tc_repository_duplicate_template_async (TcRepository        *self,
                                        gint64               id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (TC_IS_REPOSITORY (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  run_call (self, tc_repository_duplicate_template_async, TC_DB_JOB_WRITE, duplicate_job,
            g_memdup2 (&id, sizeof id), g_free, g_object_unref, NULL, NULL,
            cancellable, callback, user_data);
}

TcTemplate *
tc_repository_duplicate_template_finish (TcRepository  *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return finish_call (self, result, tc_repository_duplicate_template_async, error);
}

void
tc_repository_delete_template_async (TcRepository        *self,
                                     gint64               id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (TC_IS_REPOSITORY (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  run_call (self, tc_repository_delete_template_async, TC_DB_JOB_WRITE, delete_job,
            g_memdup2 (&id, sizeof id), g_free, NULL, NULL, NULL,
            cancellable, callback, user_data);
}

gboolean
tc_repository_delete_template_finish (TcRepository  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return finish_call (self, result, tc_repository_delete_template_async, error) != NULL;
}

void
tc_repository_list_template_versions_async (TcRepository        *self,
                                            gint64               id,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_return_if_fail (TC_IS_REPOSITORY (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  run_call (self, tc_repository_list_template_versions_async, TC_DB_JOB_READ, list_versions_job,
            g_memdup2 (&id, sizeof id), g_free, (GDestroyNotify) g_ptr_array_unref, NULL, NULL,
            cancellable, callback, user_data);
}

GPtrArray *
tc_repository_list_template_versions_finish (TcRepository  *self,
                                             GAsyncResult  *result,
                                             GError       **error)
{
  return finish_call (self, result, tc_repository_list_template_versions_async, error);
}

void
tc_repository_set_template_status_async (TcRepository        *self,
                                         gint64               id,
                                         const char          *status,
                                         const char          *reason,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  StatusData *data;

  g_return_if_fail (TC_IS_REPOSITORY (self));
  g_return_if_fail (status != NULL && status[0] != '\0');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (StatusData, 1);
  data->id = id;
  data->status = g_strdup (status);
  data->reason = g_strdup (reason);

  run_call (self, tc_repository_set_template_status_async, TC_DB_JOB_WRITE, set_status_job,
            data, (GDestroyNotify) status_data_free, NULL, NULL, NULL,
            cancellable, callback, user_data);
}

gboolean
tc_repository_set_template_status_finish (TcRepository  *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  return finish_call (self, result, tc_repository_set_template_status_async, error) != NULL;
}

void
tc_repository_list_attribute_names_async (TcRepository        *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_return_if_fail (TC_IS_REPOSITORY (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  run_call (self, tc_repository_list_attribute_names_async, TC_DB_JOB_READ, attribute_names_job,
            NULL, NULL, (GDestroyNotify) g_strfreev, NULL, NULL,
            cancellable, callback, user_data);
}

GStrv
tc_repository_list_attribute_names_finish (TcRepository  *self,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  return finish_call (self, result, tc_repository_list_attribute_names_async, error);
}
