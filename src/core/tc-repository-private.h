/* tc-repository-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The worker-side API: for code inside src/core that needs to run its own
 * SQL on the repository's connection (the importer, the exporter, the
 * sample workspace). Nothing here may be called from the main thread except
 * _tc_repository_run_async / _finish.
 *
 * Storage (schema 2): contacts.timezones is a space-separated list of IANA
 * zones, contacts.attributes a JSON object of strings, tags are in tags and
 * contact_tags (id pairs). contacts.sort_key is unique (it ends with the
 * phone), so "ORDER BY c.sort_key" alone is the list order and uses the
 * index contacts_sort. Schema 3 adds templates and template_versions
 * (tc-template-store.c).
 */

#pragma once

#include <sqlite3.h>

#include "tc-repository.h"

G_BEGIN_DECLS

/* One connection and its prepared-statement cache, owned by one worker. */
typedef struct _TcDb TcDb;

sqlite3      *_tc_db_get_handle       (TcDb          *db);
/* Where tc-prices.c keeps the connection's parsed price table (freed with
 * the connection by _tc_prices_cache_free()). */
gpointer     *_tc_db_get_prices_cache (TcDb          *db);
/* Where tc-campaign-counts.c keeps the current transaction's differences
 * of the campaign counters (written by _tc_db_commit()). */
gpointer     *_tc_db_get_campaign_counts (TcDb       *db);
/* Returns a cached statement for @sql, reset and with bindings cleared.
 * Owned by @db: do not finalize. */
sqlite3_stmt *_tc_db_prepare          (TcDb          *db,
                                       const char    *sql,
                                       GError       **error);
gboolean      _tc_db_exec             (TcDb          *db,
                                       const char    *sql,
                                       GError       **error);
gboolean      _tc_db_begin            (TcDb          *db,
                                       GError       **error);
gboolean      _tc_db_commit           (TcDb          *db,
                                       GError       **error);
void          _tc_db_rollback         (TcDb          *db);
/* Sets @error from the connection's last error, mapped to TcDbError,
 * keeping SQLite's message after @what. Always returns FALSE. */
gboolean      _tc_db_set_error        (TcDb          *db,
                                       GError       **error,
                                       const char    *what);

/* A plain description of one contact, as the importer produces it. All
 * strings may be NULL (= leave unchanged on update, empty on insert). */
typedef struct
{
  const char         *phone;       /* E.164, required */
  const char         *first_name;
  const char         *last_name;
  const char         *email;
  const char         *language;
  const char         *country;
  const char * const *timezones;   /* NULL-terminated or NULL */
  const char * const *tags;        /* added to existing tags */
  const char * const *attr_names;  /* merged into existing attributes */
  const char * const *attr_values; /* same length as attr_names */
} TcContactRow;

/* Inserts the contact or, when a contact with the same phone exists,
 * updates it (non-NULL, non-empty fields overwrite; tags and attributes are
 * merged). Must run inside a job on the writer. @now is unix seconds. */
gboolean      _tc_db_upsert_contact   (TcDb               *db,
                                       const TcContactRow *row,
                                       gint64              now,
                                       gint64             *id_out,
                                       gboolean           *updated_out,
                                       GError            **error);

/* The columns _tc_db_upsert_contact() derives from a TcContactRow, for
 * callers that compute them away from the writer thread (the importer's
 * workers). */
typedef struct
{
  const char *timezones;    /* the zones joined with spaces, or NULL */
  const char *attributes;   /* JSON object of attr_names → attr_values */
  const char *sort_key;
  const char *search_text;
} TcContactRowDerived;

/* Computes @derived from @row: the strings are copied into @strings;
 * @scratch is a work buffer. Needs no database; safe on any thread. */
void          _tc_contact_row_derive  (const TcContactRow  *row,
                                       GString             *scratch,
                                       GStringChunk        *strings,
                                       TcContactRowDerived *derived);
/* _tc_db_upsert_contact() with the derived columns precomputed by
 * _tc_contact_row_derive (@row): the same result, but a new phone costs
 * one plain INSERT. @row and @derived must stay valid during the call. */
gboolean      _tc_db_upsert_contact_derived (TcDb                      *db,
                                             const TcContactRow        *row,
                                             const TcContactRowDerived *derived,
                                             gint64                     now,
                                             gint64                    *id_out,
                                             gboolean                  *updated_out,
                                             GError                   **error);

/* A bulk load: the name-order index is dropped for the rest of the
 * transaction and rebuilt once, sorted, by _tc_db_commit(), which is
 * several times cheaper than a million random index inserts; a rollback
 * keeps the index. _tc_db_upsert_contact() switches to this by itself once
 * a transaction has upserted 50,000 rows and at least 1/16 of the table;
 * call _tc_db_bulk_begin() after _tc_db_begin() to start at once when you
 * know the load is big. _tc_db_bulk_end() rebuilds early (optional). */
gboolean      _tc_db_bulk_begin       (TcDb               *db,
                                       GError            **error);
gboolean      _tc_db_bulk_end         (TcDb               *db,
                                       GError            **error);

/* @text folded as contacts.search_text is (accents dropped, case folded):
 * a needle for instr (c.search_text, …). */
char         *_tc_db_fold_search      (const char         *text);

/* Reads the full contact @id (fields, tags, attributes, consent summary). */
TcContact    *_tc_db_load_contact     (TcDb               *db,
                                       gint64              id,
                                       GError            **error);

/* Counts and lists contacts as tc_repository_count_contacts_async() and
 * tc_repository_list_contacts_async() do, from inside a job (for the
 * exporter, which pages through everything on the reader). @limit 0 means
 * no limit. Returns: (transfer full) (element-type TcContact) */
gboolean      _tc_db_count_contacts   (TcDb               *db,
                                       const char         *search,
                                       const char         *tag,
                                       guint              *n_contacts,
                                       GError            **error);
GPtrArray    *_tc_db_list_contacts    (TcDb               *db,
                                       const char         *search,
                                       const char         *tag,
                                       guint               offset,
                                       guint               limit,
                                       GError            **error);

typedef enum
{
  TC_DB_JOB_READ,   /* runs on the read-only connection */
  TC_DB_JOB_WRITE,  /* runs on the writer connection */
} TcDbJobKind;

/* Runs on the worker thread. Returns a result (freed with the
 * result_free given to _tc_repository_run_async if nobody takes it), or
 * NULL with @error set. A job that legitimately returns "nothing" returns
 * GINT_TO_POINTER (1). The repository emits "contacts-changed" after every
 * successful WRITE job. */
typedef gpointer (*TcDbJobFunc) (TcDb          *db,
                                 gpointer       job_data,
                                 GCancellable  *cancellable,
                                 GError       **error);

void          _tc_repository_run_async  (TcRepository        *self,
                                         TcDbJobKind          kind,
                                         TcDbJobFunc          func,
                                         gpointer             job_data,
                                         GDestroyNotify       job_data_free,
                                         GDestroyNotify       result_free,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
/* As _tc_repository_run_async(), but a WRITE job emits "contacts-changed"
 * only when @contacts_changed is TRUE (templates and other tables that no
 * contact list shows pass FALSE). */
void          _tc_repository_run_async_full (TcRepository        *self,
                                             TcDbJobKind          kind,
                                             TcDbJobFunc          func,
                                             gpointer             job_data,
                                             GDestroyNotify       job_data_free,
                                             GDestroyNotify       result_free,
                                             gboolean             contacts_changed,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gpointer      _tc_repository_run_finish (TcRepository        *self,
                                         GAsyncResult        *result,
                                         GError             **error);

G_END_DECLS
