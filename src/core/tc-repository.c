/* tc-repository.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-repository"

#include "config.h"

#include <errno.h>
#include <string.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tc-campaign-counts.h"
#include "tc-consent.h"
#include "tc-contact.h"
#include "tc-prices.h"
#include "tc-repository.h"
#include "tc-repository-private.h"

/*
 * Threads. The repository owns two workers, each a thread with a
 * GAsyncQueue of jobs and one SQLite connection that only that thread
 * touches: the writer (read-write) and the reader (read-only). WAL lets the
 * reader see the last committed state while the writer holds a long
 * transaction open (an import of a million rows).
 *
 * A job's GTask is created on the caller's thread. The worker never returns
 * the task itself: it attaches an idle to the task's context that returns
 * the result there and drops the job (and with it every reference it holds)
 * on that thread, so the repository can never be finalized on a worker.
 *
 * Storage. contacts.timezones is a space-separated list of IANA zones,
 * contacts.attributes a JSON object of strings; tags live in tags and
 * contact_tags. contacts.sort_key and contacts.search_text (schema 2) are
 * case-folded copies of the names for ordered paging and search; every
 * write of a name or phone goes through tc_sort_key() / tc_search_text(),
 * SQL functions registered on the connection.
 */

#define BUSY_TIMEOUT_MS 5000
/* The writer's B-tree inserts land all over a large unique phone index and
 * the sort index; a bigger cache keeps them off the disk during an import.
 * Both stay well inside the memory budget of a million-row import. */
#define WRITER_CACHE_KIB 65536
#define READER_CACHE_KIB 32768

/* Every this many upserts in one transaction, the writer considers turning
 * the load into a bulk load (see maybe_start_bulk_load()). */
#define BULK_CHECK_EVERY 50000
/* … when the transaction has upserted at least 1/BULK_TABLE_FRACTION of
 * the table: rebuilding the index then costs less than the random inserts
 * still to come. */
#define BULK_TABLE_FRACTION 16

struct _TcDb
{
  sqlite3    *handle;
  GHashTable *statements;  /* SQL text → sqlite3_stmt */
  GHashTable *by_address;  /* SQL pointer → sqlite3_stmt, see _tc_db_prepare() */
  GHashTable *tag_ids;     /* tag name → gint64, writer only */
  gboolean    read_only;
  gboolean    upsert_updated;
  guint       n_upserts;           /* in the current transaction */
  gboolean    sort_index_dropped;  /* rebuilt by _tc_db_commit() */
  gpointer    prices_cache;        /* tc-prices.c's parsed price table */
  gpointer    campaign_counts;     /* tc-campaign-counts.c's pending differences */
};

typedef struct
{
  const char  *name;
  GAsyncQueue *queue;
  GThread     *thread;
  TcDb        *db;
} Worker;

typedef struct
{
  TcDbJobKind     kind;
  TcDbJobFunc     func;         /* NULL: the worker stops */
  gpointer        job_data;
  GDestroyNotify  job_data_free;
  GDestroyNotify  result_free;
  GTask          *task;
  gboolean        emit_changed;
  gpointer        result;
  GError         *error;
} Job;

typedef enum
{
  STATE_CLOSED,
  STATE_OPENING,
  STATE_OPEN,
} State;

struct _TcRepository
{
  GObject       parent_instance;

  char         *path;
  State         state;
  GMainContext *main_context;
  Worker       *writer;
  Worker       *reader;
  guint         open_serial;
};

G_DEFINE_FINAL_TYPE (TcRepository, tc_repository, G_TYPE_OBJECT)

G_DEFINE_QUARK (tc-db-error-quark, tc_db_error)

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

enum {
  CONTACTS_CHANGED,
  SETTINGS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gpointer worker_thread_func (gpointer data);
static gpointer open_job           (TcDb          *unused,
                                    gpointer       job_data,
                                    GCancellable  *cancellable,
                                    GError       **error);

/* ------------------------------------------------------------------------
 * Text helpers
 */

static void
append_folded (GString    *out,
               const char *text)
{
  gboolean ascii = TRUE;
  g_autofree char *valid = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *folded = NULL;
  g_autoptr(GString) stripped = NULL;

  gsize len = 0;

  if (text == NULL)
    return;

  for (; text[len] != '\0'; len++)
    if ((guchar) text[len] >= 0x80)
      {
        ascii = FALSE;
        break;
      }

  /* Nearly every name in a contact list is ASCII: keep the import's hot
   * path free of allocations for them (lower-casing as g_ascii_tolower()). */
  if (ascii)
    {
      gsize start = out->len;

      g_string_set_size (out, start + len);
      for (gsize i = 0; i < len; i++)
        {
          char c = text[i];

          out->str[start + i] = (c >= 'A' && c <= 'Z') ? (char) (c - 'A' + 'a') : c;
        }
      return;
    }

  /* Decompose, drop the accents, fold the case: "Émile" sorts with "emile"
   * and a search for "muller" finds "Müller". */
  valid = g_utf8_make_valid (text, -1);
  normalized = g_utf8_normalize (valid, -1, G_NORMALIZE_DEFAULT);
  stripped = g_string_sized_new (strlen (normalized));
  for (const char *p = normalized; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        g_string_append_unichar (stripped, c);
    }
  folded = g_utf8_casefold (stripped->str, (gssize) stripped->len);
  g_string_append (out, folded);
}

static char *
fold_text (const char *text)
{
  GString *out = g_string_new (NULL);

  append_folded (out, text);
  return g_string_free (out, FALSE);
}

char *
_tc_db_fold_search (const char *text)
{
  return fold_text (text);
}

/* The search string matched against the phone: its digits, but only when
 * it looks like a number (no letters), so "(415) 555" finds +1415555….
 * Returns NULL when there is nothing to match that way. */
static char *
search_digits (const char *search)
{
  GString *digits = g_string_new (NULL);

  for (const char *p = search; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x80 && g_ascii_isdigit (c))
        g_string_append_c (digits, (char) c);
      else if (g_unichar_isalpha (c))
        {
          g_string_free (digits, TRUE);
          return NULL;
        }
    }

  if (digits->len == 0)
    {
      g_string_free (digits, TRUE);
      return NULL;
    }

  return g_string_free (digits, FALSE);
}

static void
append_json_string (GString    *out,
                    const char *str)
{
  g_string_append_c (out, '"');
  for (const char *p = str; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) c);
        }
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

static void
append_attributes_json (GString            *out,
                        const char * const *names,
                        const char * const *values)
{
  gboolean first = TRUE;

  g_string_append_c (out, '{');
  for (guint i = 0; names != NULL && values != NULL && names[i] != NULL; i++)
    {
      if (values[i] == NULL)
        continue;
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      append_json_string (out, names[i]);
      g_string_append_c (out, ':');
      append_json_string (out, values[i]);
    }
  g_string_append_c (out, '}');
}

static char *
attributes_to_json_arrays (const char * const *names,
                           const char * const *values)
{
  GString *out = g_string_new (NULL);

  append_attributes_json (out, names, values);
  return g_string_free (out, FALSE);
}

static int
compare_keys (const void *a,
              const void *b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static char *
attributes_to_json (GHashTable *attributes)
{
  GString *out = g_string_new ("{");
  g_autofree gpointer *keys = NULL;
  guint n_keys = 0;

  /* Sorted so that the same attributes always give the same text. */
  if (attributes != NULL)
    keys = g_hash_table_get_keys_as_array (attributes, &n_keys);
  if (keys != NULL)
    qsort (keys, n_keys, sizeof (gpointer), compare_keys);

  for (guint i = 0; i < n_keys; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_json_string (out, keys[i]);
      g_string_append_c (out, ':');
      append_json_string (out, g_hash_table_lookup (attributes, keys[i]));
    }
  g_string_append_c (out, '}');

  return g_string_free (out, FALSE);
}

static void
parse_attributes_into (TcContact  *contact,
                       const char *json)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (json == NULL || json[0] == '\0' || strcmp (json, "{}") == 0)
    return;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, json, -1, NULL))
    return;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;

  object = json_node_get_object (root);
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    {
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        tc_contact_set_attribute (contact, name, json_node_get_string (node));
    }
}

static char *
join_strv (const char * const *strv)
{
  if (strv == NULL)
    return g_strdup ("");
  return g_strjoinv (" ", (char **) strv);
}

static const char *
nonnull (const char *str)
{
  return str != NULL ? str : "";
}

/* ------------------------------------------------------------------------
 * SQL functions
 */

static const char *
arg_text (sqlite3_value **argv,
          int             i)
{
  return (const char *) sqlite3_value_text (argv[i]);
}

static void
result_gstring (sqlite3_context *ctx,
                GString         *out)
{
  gsize len = out->len;

  sqlite3_result_text (ctx, g_string_free (out, FALSE), (int) len, g_free);
}

/* tc_sort_key (last, first, phone) */
static void
sql_sort_key (sqlite3_context  *ctx,
              int               argc,
              sqlite3_value   **argv)
{
  GString *out = g_string_sized_new (64);

  append_folded (out, arg_text (argv, 0));
  g_string_append_c (out, '\x01');
  append_folded (out, arg_text (argv, 1));
  g_string_append_c (out, '\x01');
  g_string_append (out, nonnull (arg_text (argv, 2)));
  result_gstring (ctx, out);
}

/* tc_search_text (first, last, email, phone). The separators keep a search
 * from matching across two fields, except "first last". */
static void
sql_search_text (sqlite3_context  *ctx,
                 int               argc,
                 sqlite3_value   **argv)
{
  GString *out = g_string_sized_new (96);

  append_folded (out, arg_text (argv, 0));
  g_string_append_c (out, ' ');
  append_folded (out, arg_text (argv, 1));
  g_string_append_c (out, '\x01');
  append_folded (out, arg_text (argv, 2));
  g_string_append_c (out, '\x01');
  g_string_append (out, nonnull (arg_text (argv, 3)));
  result_gstring (ctx, out);
}

/* Only evaluated in the DO UPDATE branch of the upsert: tells it whether the
 * row existed without a SELECT before every insert. */
static void
sql_mark_updated (sqlite3_context  *ctx,
                  int               argc,
                  sqlite3_value   **argv)
{
  TcDb *db = sqlite3_user_data (ctx);

  db->upsert_updated = TRUE;
  sqlite3_result_value (ctx, argv[0]);
}

/* ------------------------------------------------------------------------
 * TcDb
 */

static int
map_sqlite_code (int code)
{
  switch (code & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return TC_DB_ERROR_BUSY;

    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return TC_DB_ERROR_CORRUPT;

    case SQLITE_CONSTRAINT:
      return TC_DB_ERROR_CONSTRAINT;

    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return TC_DB_ERROR_CANT_OPEN;

    default:
      return TC_DB_ERROR_FAILED;
    }
}

sqlite3 *
_tc_db_get_handle (TcDb *db)
{
  g_return_val_if_fail (db != NULL, NULL);

  return db->handle;
}

gpointer *
_tc_db_get_prices_cache (TcDb *db)
{
  g_return_val_if_fail (db != NULL, NULL);

  return &db->prices_cache;
}

gpointer *
_tc_db_get_campaign_counts (TcDb *db)
{
  g_return_val_if_fail (db != NULL, NULL);

  return &db->campaign_counts;
}

gboolean
_tc_db_set_error (TcDb        *db,
                  GError     **error,
                  const char  *what)
{
  int code;

  g_return_val_if_fail (db != NULL, FALSE);

  code = sqlite3_extended_errcode (db->handle);
  g_set_error (error, TC_DB_ERROR, map_sqlite_code (code),
               "%s: %s", what != NULL ? what : "Database error",
               sqlite3_errmsg (db->handle));

  return FALSE;
}

sqlite3_stmt *
_tc_db_prepare (TcDb        *db,
                const char  *sql,
                GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  /* Nearly every caller passes a string literal: find its statement by
   * address first (and check the text, since a freed string's address can
   * come back with other SQL), which spares hashing a long query on every
   * row of an import. */
  stmt = g_hash_table_lookup (db->by_address, sql);
  if (stmt == NULL || strcmp (sqlite3_sql (stmt), sql) != 0)
    {
      stmt = g_hash_table_lookup (db->statements, sql);
      if (stmt != NULL)
        g_hash_table_insert (db->by_address, (gpointer) sql, stmt);
    }
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      _tc_db_set_error (db, error, "Cannot prepare a query");
      return NULL;
    }
  g_hash_table_insert (db->statements, g_strdup (sql), stmt);
  g_hash_table_insert (db->by_address, (gpointer) sql, stmt);

  return stmt;
}

gboolean
_tc_db_exec (TcDb        *db,
             const char  *sql,
             GError     **error)
{
  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);

  if (sqlite3_exec (db->handle, sql, NULL, NULL, NULL) != SQLITE_OK)
    return _tc_db_set_error (db, error, "Query failed");

  return TRUE;
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
  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, what);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);

  return TRUE;
}

static gboolean
run_cached (TcDb        *db,
            const char  *sql,
            GError     **error)
{
  sqlite3_stmt *stmt = _tc_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;

  return step_done (db, stmt, error, "Query failed");
}

static const char sort_index_sql[] =
  "CREATE INDEX contacts_sort ON contacts (sort_key, search_text)";

/* SQLite's sorter keeps as much as the page cache may hold in memory before
 * it writes a sorted run to a temporary file: with the writer's cache, the
 * index of a million contacts took another 64 MiB, the peak of a whole
 * import. Runs of this size sort no slower (they fit the CPU caches better),
 * the page cache shrinks along with them, and one helper thread sorts runs
 * while the table is read (nothing else runs at the end of an import): for a
 * million contacts here, 0.7 s and 27 MB instead of 1.7 s and 146 MB. */
#define REBUILD_CACHE_KIB 4096

static gboolean
rebuild_sort_index (TcDb    *db,
                    GError **error)
{
  gboolean ok;

  if (!db->sort_index_dropped)
    return TRUE;

  ok = _tc_db_exec (db, "DROP INDEX IF EXISTS contacts_sort", error) &&
       _tc_db_exec (db, "PRAGMA cache_size = -" G_STRINGIFY (REBUILD_CACHE_KIB) ";"
                        "PRAGMA threads = 1", error) &&
       _tc_db_exec (db, sort_index_sql, error);
  if (!_tc_db_exec (db, "PRAGMA cache_size = -" G_STRINGIFY (WRITER_CACHE_KIB) ";"
                        "PRAGMA threads = 0", ok ? error : NULL))
    ok = FALSE;
  if (!ok)
    return FALSE;
  db->sort_index_dropped = FALSE;

  return TRUE;
}

gboolean
_tc_db_begin (TcDb    *db,
              GError **error)
{
  g_return_val_if_fail (db != NULL, FALSE);

  db->n_upserts = 0;
  if (db->campaign_counts != NULL)
    _tc_campaign_counts_clear (db->campaign_counts);

  /* IMMEDIATE: take the write lock now, not half-way through. */
  return run_cached (db, "BEGIN IMMEDIATE", error);
}

gboolean
_tc_db_commit (TcDb    *db,
               GError **error)
{
  g_return_val_if_fail (db != NULL, FALSE);

  /* A bulk load dropped the name-order index: back before anyone sees. */
  if (!rebuild_sort_index (db, error))
    return FALSE;

  /* The campaign counters' differences, in the same transaction as the
   * rows they count (tc-campaign-counts.h). */
  if (db->campaign_counts != NULL && !_tc_campaign_counts_flush (db->campaign_counts, db, error))
    return FALSE;

  return run_cached (db, "COMMIT", error);
}

void
_tc_db_rollback (TcDb *db)
{
  g_return_if_fail (db != NULL);

  /* Tags created inside the transaction are gone again, and a dropped
   * index comes back with the rollback. */
  g_hash_table_remove_all (db->tag_ids);
  db->sort_index_dropped = FALSE;
  db->n_upserts = 0;
  if (db->campaign_counts != NULL)
    _tc_campaign_counts_clear (db->campaign_counts);

  if (!sqlite3_get_autocommit (db->handle))
    sqlite3_exec (db->handle, "ROLLBACK", NULL, NULL, NULL);
}

static void
bind_text (sqlite3_stmt *stmt,
           const char   *name,
           const char   *value)
{
  int idx = sqlite3_bind_parameter_index (stmt, name);

  g_assert (idx > 0);
  sqlite3_bind_text (stmt, idx, nonnull (value), -1, SQLITE_TRANSIENT);
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

static void
db_free (TcDb *db)
{
  GHashTableIter iter;
  gpointer value;

  if (db == NULL)
    return;

  g_hash_table_iter_init (&iter, db->statements);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    sqlite3_finalize (value);
  g_hash_table_unref (db->by_address);
  g_hash_table_unref (db->statements);
  g_hash_table_unref (db->tag_ids);
  g_clear_pointer (&db->prices_cache, _tc_prices_cache_free);
  g_clear_pointer (&db->campaign_counts, _tc_campaign_counts_free);
  sqlite3_close (db->handle);
  g_free (db);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcDb, db_free)

static gboolean
query_int (TcDb        *db,
           const char  *sql,
           gint64      *value,
           GError     **error)
{
  sqlite3_stmt *stmt = _tc_db_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *value = sqlite3_column_int64 (stmt, 0);
  else if (rc == SQLITE_DONE)
    *value = 0;
  else
    {
      _tc_db_set_error (db, error, "Query failed");
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);

  return TRUE;
}

static gboolean
not_a_database (const char  *path,
                GError     **error)
{
  g_autofree char *name = g_filename_display_name (path);

  g_set_error (error, TC_DB_ERROR, TC_DB_ERROR_CORRUPT,
               "“%s” is not a Textcast database, or it is damaged", name);
  return FALSE;
}

static TcDb *
db_open (const char  *path,
         gboolean     read_only,
         GError     **error)
{
  g_autoptr(TcDb) db = g_new0 (TcDb, 1);
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  int rc;
  gint64 version = 0;
  g_autofree char *pragmas = NULL;

  db->read_only = read_only;
  db->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  db->by_address = g_hash_table_new (NULL, NULL);
  db->tag_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  flags |= read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  rc = sqlite3_open_v2 (path, &db->handle, flags, NULL);
  if (rc != SQLITE_OK)
    {
      g_autofree char *name = g_filename_display_name (path);

      g_set_error (error, TC_DB_ERROR, TC_DB_ERROR_CANT_OPEN,
                   "Cannot open the database “%s”: %s", name,
                   db->handle != NULL ? sqlite3_errmsg (db->handle) : sqlite3_errstr (rc));
      return NULL;
    }

  sqlite3_extended_result_codes (db->handle, 1);
  sqlite3_busy_timeout (db->handle, BUSY_TIMEOUT_MS);

  sqlite3_create_function (db->handle, "tc_sort_key", 3,
                           SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                           NULL, sql_sort_key, NULL, NULL);
  sqlite3_create_function (db->handle, "tc_search_text", 4,
                           SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                           NULL, sql_search_text, NULL, NULL);
  sqlite3_create_function (db->handle, "tc_mark_updated", 1,
                           SQLITE_UTF8 | SQLITE_DIRECTONLY,
                           db, sql_mark_updated, NULL, NULL);

  /* The first read of the file: a file that is not SQLite fails here. */
  if (sqlite3_exec (db->handle, "PRAGMA user_version", NULL, NULL, NULL) != SQLITE_OK)
    {
      int code = sqlite3_extended_errcode (db->handle) & 0xff;

      if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
        {
          not_a_database (path, error);
          return NULL;
        }
      _tc_db_set_error (db, error, "Cannot read the database");
      return NULL;
    }

  if (!query_int (db, "PRAGMA user_version", &version, error))
    return NULL;
  if (version > TC_REPOSITORY_SCHEMA_VERSION)
    {
      g_set_error (error, TC_DB_ERROR, TC_DB_ERROR_TOO_NEW,
                   "This database was written by a newer version of Textcast "
                   "(schema %" G_GINT64_FORMAT ", this version knows up to %d). "
                   "Update Textcast to open it.",
                   version, TC_REPOSITORY_SCHEMA_VERSION);
      return NULL;
    }

  if (!read_only)
    {
      char *mode = NULL;
      sqlite3_stmt *stmt;

      stmt = _tc_db_prepare (db, "PRAGMA journal_mode = WAL", error);
      if (stmt == NULL)
        return NULL;
      if (sqlite3_step (stmt) == SQLITE_ROW)
        mode = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
      if (g_strcmp0 (mode, "wal") != 0)
        {
          g_set_error (error, TC_DB_ERROR, TC_DB_ERROR_FAILED,
                       "Cannot switch the database to write-ahead logging (journal mode is %s)",
                       mode != NULL ? mode : "unknown");
          g_free (mode);
          return NULL;
        }
      g_free (mode);
    }

  /* secure_delete: an erased person's data is overwritten, not left in
   * free pages (Debian builds SQLite with it on; other builds may not). */
  pragmas = g_strdup_printf ("PRAGMA foreign_keys = ON;"
                             "PRAGMA secure_delete = ON;"
                             "PRAGMA synchronous = NORMAL;"
                             "PRAGMA cache_size = -%d;"
                             "%s",
                             read_only ? READER_CACHE_KIB : WRITER_CACHE_KIB,
                             /* After a big import, give the WAL's disk space back. */
                             read_only ? "PRAGMA query_only = ON;"
                                       : "PRAGMA journal_size_limit = 67108864;");
  if (!_tc_db_exec (db, pragmas, error))
    return NULL;

  return g_steal_pointer (&db);
}

/* ------------------------------------------------------------------------
 * Schema
 */

static const char schema_1[] =
  "CREATE TABLE contacts ("
  "  id         INTEGER PRIMARY KEY,"
  "  phone      TEXT NOT NULL UNIQUE CHECK (phone <> ''),"
  "  first_name TEXT NOT NULL DEFAULT '',"
  "  last_name  TEXT NOT NULL DEFAULT '',"
  "  email      TEXT NOT NULL DEFAULT '',"
  "  language   TEXT NOT NULL DEFAULT '',"
  "  country    TEXT NOT NULL DEFAULT '',"
  "  timezones  TEXT NOT NULL DEFAULT '',"
  "  attributes TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (attributes)),"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX contacts_name ON contacts (last_name COLLATE NOCASE, first_name COLLATE NOCASE, phone);"
  "CREATE TABLE consents ("
  "  id          INTEGER PRIMARY KEY,"
  "  contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
  "  channel     TEXT NOT NULL CHECK (channel IN ('sms', 'whatsapp')),"
  "  purpose     TEXT NOT NULL CHECK (purpose IN ('promotional', 'transactional')),"
  "  status      TEXT NOT NULL CHECK (status IN ('none', 'pending', 'opted_in', 'opted_out')),"
  "  method      TEXT NOT NULL DEFAULT 'single' CHECK (method IN ('single', 'double')),"
  "  source      TEXT NOT NULL DEFAULT '',"
  "  wording     TEXT NOT NULL DEFAULT '',"
  "  recorded_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX consents_contact ON consents (contact_id, channel, purpose, recorded_at, id);"
  "CREATE TABLE tags ("
  "  id   INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE CHECK (name <> '')"
  ");"
  "CREATE TABLE contact_tags ("
  "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
  "  tag_id     INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,"
  "  PRIMARY KEY (contact_id, tag_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX contact_tags_tag ON contact_tags (tag_id, contact_id);";

/* Version 2: case-folded sort and search columns, so that paging in name
 * order walks an index (Unicode-aware, unlike COLLATE NOCASE) and a search
 * scans one short column. sort_key ends with the phone, so it is unique
 * and alone defines the order. The index covers search_text: a search
 * walks the index in order and reads a table row only for the rows it
 * returns (a million random row reads otherwise). Existing rows are
 * backfilled. */
static const char schema_2[] =
  "ALTER TABLE contacts ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE contacts ADD COLUMN search_text TEXT NOT NULL DEFAULT '';"
  "UPDATE contacts SET"
  "  sort_key = tc_sort_key (last_name, first_name, phone),"
  "  search_text = tc_search_text (first_name, last_name, email, phone);"
  "DROP INDEX contacts_name;"
  "CREATE INDEX contacts_sort ON contacts (sort_key, search_text);";

/* Version 3: message templates (SMS, WhatsApp, snippets). A template's
 * text lives in template_versions, which is only ever appended to: saving
 * a changed template adds a version, so a campaign that names
 * (template_id, version) keeps the exact text it was sent with. Names are
 * unique per kind (an SMS and a snippet may both be called "footer"). */
static const char schema_3[] =
  "CREATE TABLE templates ("
  "  id              INTEGER PRIMARY KEY,"
  "  name            TEXT NOT NULL CHECK (name <> ''),"
  "  kind            TEXT NOT NULL CHECK (kind IN ('sms', 'whatsapp', 'snippet')),"
  "  current_version INTEGER NOT NULL DEFAULT 1,"
  "  status          TEXT NOT NULL DEFAULT 'draft',"
  "  status_reason   TEXT NOT NULL DEFAULT '',"
  "  created_at      INTEGER NOT NULL,"
  "  updated_at      INTEGER NOT NULL,"
  "  UNIQUE (kind, name)"
  ");"
  "CREATE TABLE template_versions ("
  "  template_id INTEGER NOT NULL REFERENCES templates (id) ON DELETE CASCADE,"
  "  version     INTEGER NOT NULL CHECK (version > 0),"
  "  body        TEXT NOT NULL DEFAULT '',"
  "  definition  TEXT NOT NULL DEFAULT '',"
  "  language    TEXT NOT NULL DEFAULT '',"
  "  purpose     TEXT NOT NULL DEFAULT '',"
  "  created_at  INTEGER NOT NULL,"
  "  PRIMARY KEY (template_id, version)"
  ") WITHOUT ROWID;";

/* Version 4: workspace settings (tc-settings.c) and tracked short links
 * (tc-short-links.c). A short link names the contact it was made for (kept
 * as NULL when the contact is deleted, so campaign totals stay right) and
 * where it comes from ("campaign:12:A", "template:3:v2"); each click is a
 * row of link_clicks. */
static const char schema_4[] =
  "CREATE TABLE settings ("
  "  key        TEXT PRIMARY KEY,"
  "  value      TEXT NOT NULL,"
  "  updated_at INTEGER NOT NULL"
  ");"
  "CREATE TABLE short_links ("
  "  code       TEXT PRIMARY KEY,"
  "  url        TEXT NOT NULL,"
  "  contact_id INTEGER REFERENCES contacts (id) ON DELETE SET NULL,"
  "  origin     TEXT NOT NULL DEFAULT '',"
  "  created_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX short_links_origin ON short_links (origin);"
  "CREATE INDEX short_links_contact ON short_links (contact_id);"
  "CREATE TABLE link_clicks ("
  "  id         INTEGER PRIMARY KEY,"
  "  code       TEXT NOT NULL REFERENCES short_links (code) ON DELETE CASCADE,"
  "  clicked_at INTEGER NOT NULL,"
  "  user_agent TEXT NOT NULL DEFAULT ''"
  ");"
  "CREATE INDEX link_clicks_code ON link_clicks (code);";

/* Version 5: an MMS picture on an SMS template, by URL (tc-media.h checks
 * its type and size). Versioned with the text: changing the picture adds a
 * template version. Empty strings mean "no media". */
static const char schema_5[] =
  "ALTER TABLE template_versions ADD COLUMN media_url TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE template_versions ADD COLUMN media_type TEXT NOT NULL DEFAULT '';";


/* Version 6: the consent ledger, senders, inbound messages, the outbox and
 * the suppression list (the consent issue).
 *
 * consent_events is append-only (a trigger refuses UPDATE); consent_state
 * holds, per contact × channel × purpose, the status derived from its
 * events by tc_consent_fold(), written only by
 * _tc_db_append_consent_event() in the same transaction as the event. The
 * old consents rows become events: opted_in / opted_out as such, pending
 * as requested. suppressions holds HMAC-SHA256 (privacy.salt, E.164) of
 * erased numbers. outbox rows are unique by idem_key. */
static const char schema_6[] =
  "CREATE TABLE consent_events ("
  "  id          INTEGER PRIMARY KEY,"
  "  contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
  "  channel     TEXT NOT NULL CHECK (channel IN ('sms', 'whatsapp')),"
  "  purpose     TEXT NOT NULL CHECK (purpose IN ('promotional', 'transactional')),"
  "  kind        TEXT NOT NULL CHECK (kind IN ('requested', 'confirmed', 'opted_in', 'opted_out',"
  "                                            'resubscribed', 'blocked', 'expired')),"
  "  status      TEXT NOT NULL,"
  "  method      TEXT NOT NULL DEFAULT 'single' CHECK (method IN ('single', 'double')),"
  "  source      TEXT NOT NULL,"
  "  wording     TEXT NOT NULL DEFAULT '',"
  "  origin      TEXT NOT NULL DEFAULT '',"
  "  occurred_at INTEGER NOT NULL,"
  "  recorded_at INTEGER NOT NULL,"
  "  expires_at  INTEGER"
  ");"
  "CREATE INDEX consent_events_contact ON consent_events (contact_id, id);"
  "CREATE TRIGGER consent_events_append_only BEFORE UPDATE ON consent_events"
  "  BEGIN SELECT RAISE (ABORT, 'consent events are never edited'); END;"
  "CREATE TABLE consent_state ("
  "  contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
  "  channel     TEXT NOT NULL,"
  "  purpose     TEXT NOT NULL,"
  "  status      TEXT NOT NULL,"
  "  since       INTEGER NOT NULL,"
  "  expires_at  INTEGER,"
  "  event_id    INTEGER NOT NULL,"
  "  source      TEXT NOT NULL,"
  "  PRIMARY KEY (contact_id, channel, purpose)"
  ") WITHOUT ROWID;"
  "CREATE INDEX consent_state_pending ON consent_state (expires_at) WHERE status = 'pending';"
  "INSERT INTO consent_events (id, contact_id, channel, purpose, kind, status, method, source,"
  "                            wording, origin, occurred_at, recorded_at)"
  "  SELECT id, contact_id, channel, purpose,"
  "         CASE status WHEN 'pending' THEN 'requested' ELSE status END,"
  "         status, method,"
  "         CASE lower (replace (replace (trim (source), ' ', '_'), '-', '_'))"
  "           WHEN 'web_form' THEN 'web_form' WHEN 'form' THEN 'web_form'"
  "           WHEN 'checkout' THEN 'checkout' WHEN 'checkout_box' THEN 'checkout'"
  "           WHEN 'keyword' THEN 'keyword' WHEN 'qr_code' THEN 'qr_code'"
  "           WHEN 'import' THEN 'import' WHEN 'api' THEN 'api' ELSE 'manual' END,"
  "         wording, source, recorded_at, recorded_at"
  "  FROM consents WHERE status <> 'none' ORDER BY id;"
  "INSERT INTO consent_state (contact_id, channel, purpose, status, since, event_id, source)"
  "  SELECT e.contact_id, e.channel, e.purpose, e.status, e.occurred_at, e.id, e.source"
  "  FROM consent_events e"
  "  WHERE e.id = (SELECT max (l.id) FROM consent_events l WHERE l.contact_id = e.contact_id"
  "                AND l.channel = e.channel AND l.purpose = e.purpose);"
  "DROP TABLE consents;"
  "CREATE TABLE suppressions ("
  "  hash       TEXT PRIMARY KEY,"
  "  reason     TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "INSERT OR IGNORE INTO settings (key, value, updated_at)"
  "  VALUES ('privacy.salt', lower (hex (randomblob (16))), unixepoch ());"
  "CREATE TABLE senders ("
  "  id         TEXT PRIMARY KEY CHECK (id <> ''),"
  "  type       TEXT NOT NULL CHECK (type IN ('long_code', 'toll_free', 'short_code', 'whatsapp')),"
  "  use        TEXT NOT NULL CHECK (use IN ('transactional', 'promotional', 'both')),"
  "  mps        REAL NOT NULL DEFAULT 0 CHECK (mps >= 0),"
  "  daily_cap  INTEGER NOT NULL DEFAULT 0 CHECK (daily_cap >= 0),"
  "  countries  TEXT NOT NULL DEFAULT '',"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE TABLE inbound_messages ("
  "  id           INTEGER PRIMARY KEY,"
  "  channel      TEXT NOT NULL CHECK (channel IN ('sms', 'whatsapp')),"
  "  phone        TEXT NOT NULL,"
  "  contact_id   INTEGER REFERENCES contacts (id) ON DELETE CASCADE,"
  "  body         TEXT NOT NULL DEFAULT '',"
  "  received_at  INTEGER NOT NULL,"
  "  action       TEXT NOT NULL,"
  "  keyword      TEXT NOT NULL DEFAULT '',"
  "  needs_review INTEGER NOT NULL DEFAULT 0,"
  "  provider_id  TEXT"
  ");"
  "CREATE INDEX inbound_contact ON inbound_messages (contact_id, channel, received_at);"
  "CREATE INDEX inbound_phone ON inbound_messages (phone);"
  "CREATE UNIQUE INDEX inbound_provider ON inbound_messages (channel, provider_id)"
  "  WHERE provider_id IS NOT NULL;"
  "CREATE TABLE outbox ("
  "  id          INTEGER PRIMARY KEY,"
  "  idem_key    TEXT NOT NULL UNIQUE,"
  "  origin      TEXT NOT NULL DEFAULT '',"
  "  contact_id  INTEGER REFERENCES contacts (id) ON DELETE SET NULL,"
  "  phone       TEXT NOT NULL,"
  "  channel     TEXT NOT NULL CHECK (channel IN ('sms', 'whatsapp')),"
  "  purpose     TEXT NOT NULL CHECK (purpose IN ('promotional', 'transactional')),"
  "  compliance  INTEGER NOT NULL DEFAULT 0,"
  "  sender_id   TEXT NOT NULL DEFAULT '',"
  "  body        TEXT NOT NULL DEFAULT '',"
  "  state       TEXT NOT NULL DEFAULT 'queued',"
  "  reason      TEXT NOT NULL DEFAULT '',"
  "  due_at      INTEGER NOT NULL,"
  "  sent_at     INTEGER,"
  "  provider_id TEXT,"
  "  created_at  INTEGER NOT NULL,"
  "  updated_at  INTEGER NOT NULL"
  ");"
  "CREATE INDEX outbox_due ON outbox (state, due_at);"
  "CREATE INDEX outbox_contact ON outbox (contact_id);"
  "CREATE INDEX outbox_phone ON outbox (phone);"
  "CREATE INDEX outbox_contact_sent ON outbox (contact_id, sent_at) WHERE purpose = 'promotional';";

/* Version 7: what the send engine needs (src/net/tc-engine.c,
 * src/core/tc-outbox.c). The outbox row gains the message's media and
 * template, its segments and cost, the attempts, the provider and its
 * times (claimed, delivered, read, failed); outbox_events is its
 * append-only history (a trigger refuses UPDATE), one row per change of
 * state, written in the same transaction. outbox_pending serves the
 * engine's claim (due rows per channel and sender, by due time);
 * outbox_provider_id the status updates; outbox_sender_sent the daily cap.
 * Existing rows get one history event each, "migrated". */
static const char schema_7[] =
  "ALTER TABLE outbox ADD COLUMN media_url TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE outbox ADD COLUMN wa_template TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE outbox ADD COLUMN content_sid TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE outbox ADD COLUMN content_variables TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE outbox ADD COLUMN segments INTEGER NOT NULL DEFAULT 1;"
  "ALTER TABLE outbox ADD COLUMN cost REAL;"
  "ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE outbox ADD COLUMN claimed_at INTEGER;"
  "ALTER TABLE outbox ADD COLUMN error_code TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE outbox ADD COLUMN delivered_at INTEGER;"
  "ALTER TABLE outbox ADD COLUMN read_at INTEGER;"
  "ALTER TABLE outbox ADD COLUMN failed_at INTEGER;"
  "ALTER TABLE outbox ADD COLUMN provider TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE outbox ADD COLUMN price REAL;"
  "ALTER TABLE outbox ADD COLUMN price_currency TEXT NOT NULL DEFAULT '';"
  "CREATE INDEX outbox_pending ON outbox (channel, sender_id, due_at)"
  "  WHERE state IN ('queued', 'deferred');"
  "CREATE INDEX outbox_provider_id ON outbox (provider_id) WHERE provider_id IS NOT NULL;"
  "CREATE INDEX outbox_sender_sent ON outbox (sender_id, sent_at) WHERE sent_at IS NOT NULL;"
  "CREATE INDEX outbox_sending ON outbox (channel, id) WHERE state = 'sending';"
  "CREATE TABLE outbox_events ("
  "  id         INTEGER PRIMARY KEY,"
  "  outbox_id  INTEGER NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,"
  "  state      TEXT NOT NULL,"
  "  at         INTEGER NOT NULL,"
  "  detail     TEXT NOT NULL DEFAULT ''"
  ");"
  "CREATE INDEX outbox_events_outbox ON outbox_events (outbox_id, id);"
  "CREATE TRIGGER outbox_events_append_only BEFORE UPDATE ON outbox_events"
  "  BEGIN SELECT RAISE (ABORT, 'the outbox history is never edited'); END;"
  "INSERT INTO outbox_events (outbox_id, state, at, detail)"
  "  SELECT id, state, updated_at, 'migrated' FROM outbox ORDER BY id;";

/* Version 8: status polling, events and segments.
 * - outbox.poll_at: when the engine next asks the provider for the row's
 *   status (set when a row is sent without a status callback, cleared when
 *   its status is final or polling gives up); outbox.polls counts the
 *   asks. outbox_poll serves "rows due for a poll".
 * - events: what contacts did (order_placed, cart_abandoned, …), from CSV,
 *   the CLI, the HTTP endpoint and shop webhooks; event_key makes a
 *   repeated delivery of the same event a no-op; properties is a JSON
 *   object; value / currency are lifted out of it for revenue. Erasing a
 *   contact erases their events (ON DELETE CASCADE).
 * - segments: saved, named audience rules (a JSON rule, tc-segment.h). */
static const char schema_8[] =
  "ALTER TABLE outbox ADD COLUMN poll_at INTEGER;"
  "ALTER TABLE outbox ADD COLUMN polls INTEGER NOT NULL DEFAULT 0;"
  "CREATE INDEX outbox_poll ON outbox (poll_at) WHERE poll_at IS NOT NULL;"
  "CREATE TABLE events ("
  "  id           INTEGER PRIMARY KEY,"
  "  event_key    TEXT UNIQUE,"
  "  contact_id   INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
  "  name         TEXT NOT NULL,"
  "  occurred_at  INTEGER NOT NULL,"
  "  recorded_at  INTEGER NOT NULL,"
  "  source       TEXT NOT NULL,"
  "  value        REAL,"
  "  currency     TEXT NOT NULL DEFAULT '',"
  "  properties   TEXT NOT NULL DEFAULT '{}'"
  ");"
  "CREATE INDEX events_contact ON events (contact_id, name, occurred_at);"
  "CREATE INDEX events_name ON events (name, occurred_at);"
  "CREATE TABLE segments ("
  "  id          INTEGER PRIMARY KEY,"
  "  name        TEXT NOT NULL UNIQUE COLLATE NOCASE,"
  "  rule        TEXT NOT NULL,"
  "  created_at  INTEGER NOT NULL,"
  "  updated_at  INTEGER NOT NULL"
  ");";

/* Version 9: campaigns (tc-campaign.h).
 * - campaigns: what to send to whom and when — channel (sms, whatsapp, or
 *   whatsapp+sms: WhatsApp with SMS for those it cannot reach), purpose,
 *   the audience (JSON: every contact, or saved segments with exclusions),
 *   the A/B variants (JSON: label, template, split; the template version
 *   is pinned when sending starts), the holdout share, an optional test
 *   portion (the variants go to that share first; after winner_after_hours
 *   the best by winner_metric goes to the rest, and is recorded as winner), the schedule (now,
 *   at a moment, or at a time of day in each recipient's zone), senders,
 *   throttle and daily cap, the state, and how far sending got ("phase").
 *   AUTOINCREMENT: a deleted draft's id is never given again, so
 *   "campaign:12" means one campaign for the life of the workspace.
 * - campaign_recipients: the audience as it was when sending started (a
 *   snapshot: people who join a segment later do not get the campaign),
 *   with each person's random rank (a keyed hash: the A/B split is exact
 *   and the same person always lands in the same variant), their variant
 *   ("A"…"D", "holdout") and their outbox row once queued (0: nothing to
 *   queue — held out, or deleted since). Its primary key
 *   makes "never twice to anyone" a constraint; erasing a contact takes
 *   their row with it.
 * - campaign_recipients_pending: those still to queue, in rank order.
 * - outbox_origin: a campaign's rows ("campaign:12:A") by origin and state,
 *   for pausing and cancelling, covering what its report reads, so that a
 *   report over a million rows is one pass over the index. */
static const char schema_9[] =
  "CREATE TABLE campaigns ("
  "  id                  INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  name                TEXT NOT NULL,"
  "  channel             TEXT NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'whatsapp+sms')),"
  "  purpose             TEXT NOT NULL CHECK (purpose IN ('promotional', 'transactional')),"
  "  audience            TEXT NOT NULL CHECK (json_valid (audience)),"
  "  variants            TEXT NOT NULL CHECK (json_valid (variants)),"
  "  holdout_percent     REAL NOT NULL DEFAULT 0,"
  "  test_percent        REAL NOT NULL DEFAULT 0,"
  "  winner_metric       TEXT NOT NULL DEFAULT '',"
  "  winner_after_hours  INTEGER NOT NULL DEFAULT 0,"
  "  winner              TEXT NOT NULL DEFAULT '',"
  "  schedule            TEXT NOT NULL DEFAULT 'now' CHECK (schedule IN ('now', 'at', 'local_time')),"
  "  send_at             INTEGER,"
  "  local_time          TEXT NOT NULL DEFAULT '',"
  "  sms_sender          TEXT NOT NULL DEFAULT '',"
  "  whatsapp_sender     TEXT NOT NULL DEFAULT '',"
  "  throttle_per_minute INTEGER NOT NULL DEFAULT 0,"
  "  daily_cap           INTEGER NOT NULL DEFAULT 0,"
  "  state               TEXT NOT NULL DEFAULT 'draft',"
  "  phase               TEXT NOT NULL DEFAULT '',"
  "  audience_size       INTEGER NOT NULL DEFAULT 0,"
  "  n_intended          INTEGER NOT NULL DEFAULT 0,"
  "  group_counts        TEXT NOT NULL DEFAULT '{}',"
  "  n_queued            INTEGER NOT NULL DEFAULT 0,"
  "  created_at          INTEGER NOT NULL,"
  "  updated_at          INTEGER NOT NULL,"
  "  started_at          INTEGER,"
  "  finished_at         INTEGER"
  ");"
  "CREATE TABLE campaign_recipients ("
  "  campaign_id  INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,"
  "  contact_id   INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
  "  rank         INTEGER NOT NULL,"
  "  variant      TEXT NOT NULL DEFAULT '',"
  "  outbox_id    INTEGER,"
  "  PRIMARY KEY (campaign_id, contact_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX campaign_recipients_pending ON campaign_recipients (campaign_id, rank)"
  "  WHERE outbox_id IS NULL;"
  "CREATE INDEX campaign_recipients_contact ON campaign_recipients (contact_id);"
  "CREATE INDEX outbox_origin ON outbox"
  "  (origin, state, reason, error_code, sent_at, delivered_at, read_at, price, cost);";

/* Version 10: the inbox (tc-inbox.c). An inbound message is unread until
 * its conversation is opened: inbound_messages.read_at. What came in
 * before counts as read. inbound_unread serves the unread counts. */
static const char schema_10[] =
  "ALTER TABLE inbound_messages ADD COLUMN read_at INTEGER;"
  "UPDATE inbound_messages SET read_at = received_at;"
  "CREATE INDEX inbound_unread ON inbound_messages (contact_id) WHERE read_at IS NULL;";

/* Version 11: journeys (src/journey, tc-journey-store.h).
 * - journeys: one automation — its name, description, state (draft,
 *   active, paused), the version being edited (current_version) and the
 *   version new contacts enter (active_version, NULL until first
 *   activated), and the ready-made journey it was made from.
 *   AUTOINCREMENT: "journey:12" means one journey for the life of the
 *   workspace.
 * - journey_versions: the whole journey as JSON per version (tc-journey.h's
 *   shape). A version is frozen once activated (activated_at set; a trigger
 *   refuses changing its graph): editing an active journey adds the next
 *   version, and contacts already inside finish the version they entered.
 * - journey_enrollments: a contact inside (or through) one version of a
 *   journey, for the runner — the node they are at, when they are due
 *   there, the trigger event's properties as context, their state; and
 *   entry_key, unique per journey, which makes the re-entry policy a
 *   constraint ("once": the contact; every time or once per N days: the
 *   trigger event, so the same event never enrols twice). Erasing a
 *   contact takes their enrollments with it. */
static const char schema_11[] =
  "CREATE TABLE journeys ("
  "  id              INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  name            TEXT NOT NULL,"
  "  description     TEXT NOT NULL DEFAULT '',"
  "  state           TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'active', 'paused')),"
  "  current_version INTEGER NOT NULL DEFAULT 1,"
  "  active_version  INTEGER,"
  "  origin          TEXT NOT NULL DEFAULT '',"
  "  created_at      INTEGER NOT NULL,"
  "  updated_at      INTEGER NOT NULL"
  ");"
  "CREATE TABLE journey_versions ("
  "  journey_id    INTEGER NOT NULL REFERENCES journeys (id) ON DELETE CASCADE,"
  "  version       INTEGER NOT NULL CHECK (version >= 1),"
  "  graph         TEXT NOT NULL CHECK (json_valid (graph)),"
  "  created_at    INTEGER NOT NULL,"
  "  updated_at    INTEGER NOT NULL,"
  "  activated_at  INTEGER,"
  "  PRIMARY KEY (journey_id, version)"
  ") WITHOUT ROWID;"
  "CREATE TRIGGER journey_versions_frozen BEFORE UPDATE OF graph ON journey_versions"
  "  WHEN OLD.activated_at IS NOT NULL"
  "  BEGIN SELECT RAISE (ABORT, 'an activated journey version is never edited'); END;"
  "CREATE TABLE journey_enrollments ("
  "  id           INTEGER PRIMARY KEY,"
  "  journey_id   INTEGER NOT NULL,"
  "  version      INTEGER NOT NULL,"
  "  contact_id   INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
  "  node         TEXT NOT NULL,"
  "  state        TEXT NOT NULL DEFAULT 'active'"
  "    CHECK (state IN ('active', 'waiting', 'completed', 'exited', 'converted', 'failed')),"
  "  due_at       INTEGER,"
  "  context      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (context)),"
  "  entry_key    TEXT NOT NULL,"
  "  entered_at   INTEGER NOT NULL,"
  "  updated_at   INTEGER NOT NULL,"
  "  finished_at  INTEGER,"
  "  UNIQUE (journey_id, entry_key),"
  "  FOREIGN KEY (journey_id, version) REFERENCES journey_versions (journey_id, version)"
  "    ON DELETE CASCADE"
  ");"
  "CREATE INDEX journey_enrollments_due ON journey_enrollments (due_at)"
  "  WHERE due_at IS NOT NULL;"
  "CREATE INDEX journey_enrollments_contact ON journey_enrollments (contact_id, journey_id, entered_at);"
  "CREATE INDEX journey_enrollments_node ON journey_enrollments (journey_id, version, node, state);";

/* Version 12: a campaign's outbox figures kept as its rows change, so that
 * a report over a million messages reads a few hundred counters instead
 * of the rows (tc-campaign-report.c, tc-campaign-counts.h).
 * - campaign_counts: the number of a campaign's outbox rows (origin
 *   "campaign:ID:LABEL") per origin, state, detail (the reason of a
 *   skipped row, the error code of a failed, undelivered or unknown one,
 *   else ''), whether it was sent, delivered and read (by its times, and
 *   by its state for delivered and read) and the cost it adds
 *   (coalesce (price, cost) once sent, else 0). A count that falls to 0
 *   keeps its row.
 * - campaign_hours: per origin and hour (unix seconds, a multiple of
 *   3600), how many of its rows were sent, delivered and read then.
 * The code that moves the rows keeps both, from C, in the transaction that
 * moves them: the differences are added up in memory and written by
 * _tc_db_commit() (no triggers: they cost the engine 20-40 %; DESIGN.md).
 * Existing rows are counted here. */
static const char schema_12[] =
  "CREATE TABLE campaign_counts ("
  "  origin     TEXT NOT NULL,"
  "  state      TEXT NOT NULL,"
  "  detail     TEXT NOT NULL,"
  "  sent       INTEGER NOT NULL,"
  "  delivered  INTEGER NOT NULL,"
  "  read       INTEGER NOT NULL,"
  "  cost       REAL NOT NULL,"
  "  n          INTEGER NOT NULL,"
  "  PRIMARY KEY (origin, state, detail, sent, delivered, read, cost)"
  ") WITHOUT ROWID;"
  "CREATE TABLE campaign_hours ("
  "  origin     TEXT NOT NULL,"
  "  hour       INTEGER NOT NULL,"
  "  sent       INTEGER NOT NULL DEFAULT 0,"
  "  delivered  INTEGER NOT NULL DEFAULT 0,"
  "  read       INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (origin, hour)"
  ") WITHOUT ROWID;"
  "INSERT INTO campaign_counts (origin, state, detail, sent, delivered, read, cost, n)"
  "  SELECT " TC_CAMPAIGN_COUNT_KEY_SQL ("o.") ", count(*)"
  "  FROM outbox o INDEXED BY outbox_origin WHERE " TC_CAMPAIGN_ORIGIN_SQL ("o.")
  "  GROUP BY 1, 2, 3, 4, 5, 6, 7;"
  "INSERT INTO campaign_hours (origin, hour, sent, delivered, read)"
  "  SELECT origin, hour, sum (kind = 0), sum (kind = 1), sum (kind = 2) FROM ("
  "    SELECT o.origin, o.sent_at - o.sent_at % 3600 AS hour, 0 AS kind"
  "    FROM outbox o INDEXED BY outbox_origin"
  "    WHERE " TC_CAMPAIGN_ORIGIN_SQL ("o.") " AND coalesce (o.sent_at, 0) <> 0"
  "    UNION ALL SELECT o.origin, o.delivered_at - o.delivered_at % 3600, 1"
  "    FROM outbox o INDEXED BY outbox_origin"
  "    WHERE " TC_CAMPAIGN_ORIGIN_SQL ("o.") " AND coalesce (o.delivered_at, 0) <> 0"
  "    UNION ALL SELECT o.origin, o.read_at - o.read_at % 3600, 2"
  "    FROM outbox o INDEXED BY outbox_origin"
  "    WHERE " TC_CAMPAIGN_ORIGIN_SQL ("o.") " AND coalesce (o.read_at, 0) <> 0)"
  "  GROUP BY 1, 2;";

/* Version 13: the rows a person waits for — replies written in the Inbox
 * (origin "inbox") and the automatic answers to STOP, HELP and START
 * (compliance = 1) — found without reading a campaign's queue: the engine
 * claims them ahead of the rest of their sender's due rows
 * (tc-outbox.c, claim_group), so that a reply does not wait behind a
 * million queued campaign messages. Partial, so it stays tiny. */
static const char schema_13[] =
  "CREATE INDEX outbox_urgent ON outbox (channel, sender_id, due_at)"
  "  WHERE state IN ('queued', 'deferred') AND (origin = 'inbox' OR compliance = 1);";

static const char * const migrations[] = {
  schema_1,
  schema_2,
  schema_3,
  schema_4,
  schema_5,
  schema_6,
  schema_7,
  schema_8,
  schema_9,
  schema_10,
  schema_11,
  schema_12,
  schema_13,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == TC_REPOSITORY_SCHEMA_VERSION);

static gboolean
migrate (TcDb        *db,
         const char  *path,
         GError     **error)
{
  gint64 version = 0;

  if (!query_int (db, "PRAGMA user_version", &version, error))
    return FALSE;

  if (version == 0)
    {
      gint64 n_tables = 0;

      /* An SQLite file of some other program: leave it alone. */
      if (!query_int (db, "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'",
                      &n_tables, error))
        return FALSE;
      if (n_tables > 0)
        return not_a_database (path, error);
    }

  for (gint64 v = version; v < TC_REPOSITORY_SCHEMA_VERSION; v++)
    {
      g_autofree char *set_version = NULL;

      if (!_tc_db_begin (db, error))
        return FALSE;

      set_version = g_strdup_printf ("PRAGMA user_version = %" G_GINT64_FORMAT, v + 1);
      if (!_tc_db_exec (db, migrations[v], error) ||
          !_tc_db_exec (db, set_version, error) ||
          !_tc_db_commit (db, error))
        {
          g_prefix_error (error, "Cannot update the database to schema %" G_GINT64_FORMAT ": ",
                          v + 1);
          _tc_db_rollback (db);
          return FALSE;
        }
      g_debug ("Migrated %s to schema %" G_GINT64_FORMAT, path, v + 1);
    }

  return TRUE;
}

gboolean
_tc_db_bulk_begin (TcDb    *db,
                   GError **error)
{
  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (!sqlite3_get_autocommit (db->handle), FALSE);

  if (db->sort_index_dropped)
    return TRUE;
  if (!_tc_db_exec (db, "DROP INDEX IF EXISTS contacts_sort", error))
    return FALSE;
  db->sort_index_dropped = TRUE;

  return TRUE;
}

gboolean
_tc_db_bulk_end (TcDb    *db,
                 GError **error)
{
  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (!sqlite3_get_autocommit (db->handle), FALSE);

  return rebuild_sort_index (db, error);
}

/* A big import into a table that is small next to it: a million random
 * inserts into the name-order index cost several times more than building
 * it once, sorted, at commit. Called every BULK_CHECK_EVERY upserts. */
static gboolean
maybe_start_bulk_load (TcDb    *db,
                       GError **error)
{
  gint64 n_rows = 0;

  if (db->sort_index_dropped || sqlite3_get_autocommit (db->handle))
    return TRUE;

  /* max(id) is free and close enough to the number of rows. */
  if (!query_int (db, "SELECT max (id) FROM contacts", &n_rows, error))
    return FALSE;
  if ((gint64) db->n_upserts * BULK_TABLE_FRACTION < n_rows)
    return TRUE;

  g_debug ("Bulk load: %u upserts into about %" G_GINT64_FORMAT " rows, "
           "the name-order index is rebuilt at commit", db->n_upserts, n_rows);

  return _tc_db_bulk_begin (db, error);
}

/* ------------------------------------------------------------------------
 * Contacts
 */

#define CONTACT_COLUMNS \
  "c.id, c.phone, c.first_name, c.last_name, c.email, c.language, c.country, " \
  "c.timezones, c.attributes, c.created_at, c.updated_at, " \
  "(SELECT group_concat (t.name, char (31)) FROM contact_tags ct " \
  "   JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = c.id), " \
  "(SELECT CASE WHEN s.status = 'pending' AND s.expires_at <= unixepoch () THEN 'expired' " \
  "   ELSE s.status END FROM consent_state s WHERE s.contact_id = c.id " \
  "   AND s.channel = 'sms' AND s.purpose = 'promotional'), " \
  "(SELECT CASE WHEN s.status = 'pending' AND s.expires_at <= unixepoch () THEN 'expired' " \
  "   ELSE s.status END FROM consent_state s WHERE s.contact_id = c.id " \
  "   AND s.channel = 'whatsapp' AND s.purpose = 'promotional')"

static const char *
column_text (sqlite3_stmt *stmt,
             int           col)
{
  return (const char *) sqlite3_column_text (stmt, col);
}

static GDateTime *
date_time_from_unix (gint64 t)
{
  return g_date_time_new_from_unix_utc (t);
}

static TcConsentStatus
status_from_column (sqlite3_stmt *stmt,
                    int           col)
{
  TcConsentStatus status = TC_CONSENT_STATUS_NONE;
  const char *text = column_text (stmt, col);

  if (text != NULL)
    tc_consent_status_from_string (text, &status);

  return status;
}

static TcContact *
contact_from_stmt (sqlite3_stmt *stmt)
{
  TcContact *contact = tc_contact_new ();
  g_autoptr(GDateTime) created = date_time_from_unix (sqlite3_column_int64 (stmt, 9));
  g_autoptr(GDateTime) updated = date_time_from_unix (sqlite3_column_int64 (stmt, 10));
  const char *timezones = column_text (stmt, 7);
  const char *tags = column_text (stmt, 11);

  tc_contact_set_id (contact, sqlite3_column_int64 (stmt, 0));
  tc_contact_set_phone (contact, column_text (stmt, 1));
  tc_contact_set_first_name (contact, column_text (stmt, 2));
  tc_contact_set_last_name (contact, column_text (stmt, 3));
  tc_contact_set_email (contact, column_text (stmt, 4));
  tc_contact_set_language (contact, column_text (stmt, 5));
  tc_contact_set_country (contact, column_text (stmt, 6));
  if (timezones != NULL && timezones[0] != '\0')
    {
      g_auto(GStrv) zones = g_strsplit (timezones, " ", -1);

      tc_contact_set_timezones (contact, (const char * const *) zones);
    }
  parse_attributes_into (contact, column_text (stmt, 8));
  tc_contact_set_created_at (contact, created);
  tc_contact_set_updated_at (contact, updated);
  if (tags != NULL && tags[0] != '\0')
    {
      g_auto(GStrv) list = g_strsplit (tags, "\x1f", -1);

      tc_contact_set_tags (contact, (const char * const *) list);
    }
  _tc_contact_set_consent_summary (contact, TC_CHANNEL_SMS, status_from_column (stmt, 12));
  _tc_contact_set_consent_summary (contact, TC_CHANNEL_WHATSAPP, status_from_column (stmt, 13));

  return contact;
}

/* Builds "FROM … WHERE …" for a search and a tag, and binds it later with
 * bind_filter(). Four shapes at most, so the statement cache holds them. */
static void
append_filter (GString    *sql,
               const char *search,
               const char *digits,
               const char *tag)
{
  gboolean has_search = search != NULL && search[0] != '\0';
  gboolean has_tag = tag != NULL && tag[0] != '\0';

  g_string_append (sql, " FROM contacts c");
  if (!has_search && !has_tag)
    return;

  g_string_append (sql, " WHERE ");
  if (has_search)
    {
      /* The digits are looked up in sort_key, which ends with the phone and
       * is in the index next to search_text: the filter never needs the
       * table row (names rarely hold digits). */
      if (digits != NULL)
        g_string_append (sql, "(instr (c.search_text, :search) > 0 OR instr (c.sort_key, :digits) > 0)");
      else
        g_string_append (sql, "instr (c.search_text, :search) > 0");
    }
  if (has_search && has_tag)
    g_string_append (sql, " AND ");
  if (has_tag)
    g_string_append (sql, "EXISTS (SELECT 1 FROM contact_tags ct WHERE ct.contact_id = c.id"
                          " AND ct.tag_id = (SELECT id FROM tags WHERE name = :tag))");
}

static void
bind_filter (sqlite3_stmt *stmt,
             const char   *folded,
             const char   *digits,
             const char   *tag)
{
  if (sqlite3_bind_parameter_index (stmt, ":search") > 0)
    bind_text (stmt, ":search", folded);
  if (sqlite3_bind_parameter_index (stmt, ":digits") > 0)
    bind_text (stmt, ":digits", digits);
  if (sqlite3_bind_parameter_index (stmt, ":tag") > 0)
    bind_text (stmt, ":tag", tag);
}

typedef struct
{
  char *folded;
  char *digits;
} Search;

static void
search_init (Search     *s,
             const char *search)
{
  g_autofree char *stripped = NULL;

  s->folded = NULL;
  s->digits = NULL;
  if (search == NULL)
    return;

  stripped = g_strstrip (g_strdup (search));
  if (stripped[0] == '\0')
    return;

  s->folded = fold_text (stripped);
  s->digits = search_digits (stripped);
}

static void
search_clear (Search *s)
{
  g_clear_pointer (&s->folded, g_free);
  g_clear_pointer (&s->digits, g_free);
}

gboolean
_tc_db_count_contacts (TcDb        *db,
                       const char  *search,
                       const char  *tag,
                       guint       *n_contacts,
                       GError     **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT count(*)");
  Search s;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (n_contacts != NULL, FALSE);

  search_init (&s, search);
  /* A tag alone is counted from the tag's index. */
  if (s.folded == NULL && tag != NULL && tag[0] != '\0')
    g_string_assign (sql, "SELECT count(*) FROM contact_tags"
                          " WHERE tag_id = (SELECT id FROM tags WHERE name = :tag)");
  else
    append_filter (sql, s.folded, s.digits, tag);

  stmt = _tc_db_prepare (db, sql->str, error);
  if (stmt == NULL)
    {
      search_clear (&s);
      return FALSE;
    }
  bind_filter (stmt, s.folded, s.digits, tag);
  search_clear (&s);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _tc_db_set_error (db, error, "Cannot count contacts");
      sqlite3_reset (stmt);
      return FALSE;
    }
  *n_contacts = (guint) MIN (sqlite3_column_int64 (stmt, 0), G_MAXUINT);
  sqlite3_reset (stmt);

  return TRUE;
}

GPtrArray *
_tc_db_list_contacts (TcDb        *db,
                      const char  *search,
                      const char  *tag,
                      guint        offset,
                      guint        limit,
                      GError     **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT " CONTACT_COLUMNS);
  g_autoptr(GPtrArray) contacts = NULL;
  Search s;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);

  search_init (&s, search);
  append_filter (sql, s.folded, s.digits, tag);
  g_string_append (sql, " ORDER BY c.sort_key LIMIT :limit OFFSET :offset");

  stmt = _tc_db_prepare (db, sql->str, error);
  if (stmt == NULL)
    {
      search_clear (&s);
      return NULL;
    }
  bind_filter (stmt, s.folded, s.digits, tag);
  search_clear (&s);
  bind_int64 (stmt, ":limit", limit == 0 ? -1 : (gint64) limit);
  bind_int64 (stmt, ":offset", offset);

  contacts = g_ptr_array_new_full (limit > 0 ? MIN (limit, 1024) : 64, g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (contacts, contact_from_stmt (stmt));

  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot list contacts");
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  return g_steal_pointer (&contacts);
}

TcContact *
_tc_db_load_contact (TcDb     *db,
                     gint64    id,
                     GError  **error)
{
  sqlite3_stmt *stmt;
  TcContact *contact;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);

  stmt = _tc_db_prepare (db, "SELECT " CONTACT_COLUMNS " FROM contacts c WHERE c.id = :id", error);
  if (stmt == NULL)
    return NULL;
  bind_int64 (stmt, ":id", id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      g_set_error (error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND,
                   "No contact with id %" G_GINT64_FORMAT, id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _tc_db_set_error (db, error, "Cannot read the contact");
      sqlite3_reset (stmt);
      return NULL;
    }

  contact = contact_from_stmt (stmt);
  sqlite3_reset (stmt);

  return contact;
}

static gboolean
tag_id_for_name (TcDb        *db,
                 const char  *name,
                 gint64      *tag_id,
                 GError     **error)
{
  gpointer cached;
  sqlite3_stmt *stmt;

  if (g_hash_table_lookup_extended (db->tag_ids, name, NULL, &cached))
    {
      *tag_id = (gint64) GPOINTER_TO_SIZE (cached);
      return TRUE;
    }

  stmt = _tc_db_prepare (db,
                         "INSERT INTO tags (name) VALUES (:name) "
                         "ON CONFLICT (name) DO UPDATE SET name = excluded.name "
                         "RETURNING id",
                         error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, ":name", name);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _tc_db_set_error (db, error, "Cannot store a tag");
      sqlite3_reset (stmt);
      return FALSE;
    }
  *tag_id = sqlite3_column_int64 (stmt, 0);
  if (!step_done (db, stmt, error, "Cannot store a tag"))
    return FALSE;

  g_hash_table_insert (db->tag_ids, g_strdup (name), GSIZE_TO_POINTER ((gsize) *tag_id));

  return TRUE;
}

static gboolean
add_tags (TcDb                *db,
          gint64               contact_id,
          const char * const  *tags,
          GError             **error)
{
  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    {
      g_autofree char *stripped = NULL;
      const char *name = tags[i];
      gsize len = strlen (name);
      gint64 tag_id;
      sqlite3_stmt *stmt;

      /* Copy only when there is something to strip (rarely: the importer
       * hands over trimmed tags). */
      if (len > 0 && (g_ascii_isspace (name[0]) || g_ascii_isspace (name[len - 1])))
        name = stripped = g_strstrip (g_strdup (name));
      if (name[0] == '\0')
        continue;
      if (!tag_id_for_name (db, name, &tag_id, error))
        return FALSE;

      stmt = _tc_db_prepare (db,
                             "INSERT OR IGNORE INTO contact_tags (contact_id, tag_id) "
                             "VALUES (?1, ?2)",
                             error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, contact_id);
      sqlite3_bind_int64 (stmt, 2, tag_id);
      if (!step_done (db, stmt, error, "Cannot tag the contact"))
        return FALSE;
    }

  return TRUE;
}

#define NON_EMPTY_WINS(col) "coalesce (nullif (excluded." col ", ''), " col ")"

gboolean
_tc_db_upsert_contact (TcDb                *db,
                       const TcContactRow  *row,
                       gint64               now,
                       gint64              *id_out,
                       gboolean            *updated_out,
                       GError             **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *timezones = NULL;
  g_autofree char *attributes = NULL;
  gint64 id;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (row != NULL, FALSE);
  g_return_val_if_fail (row->phone != NULL && row->phone[0] != '\0', FALSE);

  stmt = _tc_db_prepare (db,
    "INSERT INTO contacts (phone, first_name, last_name, email, language, country,"
    "                      timezones, attributes, sort_key, search_text, created_at, updated_at) "
    "VALUES (:phone, :first, :last, :email, :language, :country, :timezones, :attributes,"
    "        tc_sort_key (:last, :first, :phone),"
    "        tc_search_text (:first, :last, :email, :phone), :now, :now) "
    "ON CONFLICT (phone) DO UPDATE SET"
    "  first_name = tc_mark_updated (" NON_EMPTY_WINS ("first_name") "),"
    "  last_name = " NON_EMPTY_WINS ("last_name") ","
    "  email = " NON_EMPTY_WINS ("email") ","
    "  language = " NON_EMPTY_WINS ("language") ","
    "  country = " NON_EMPTY_WINS ("country") ","
    "  timezones = " NON_EMPTY_WINS ("timezones") ","
    "  attributes = CASE WHEN excluded.attributes = '{}' THEN attributes"
    "                    ELSE json_patch (attributes, excluded.attributes) END,"
    "  sort_key = tc_sort_key (" NON_EMPTY_WINS ("last_name") ", "
                                 NON_EMPTY_WINS ("first_name") ", phone),"
    "  search_text = tc_search_text (" NON_EMPTY_WINS ("first_name") ", "
                                       NON_EMPTY_WINS ("last_name") ", "
                                       NON_EMPTY_WINS ("email") ", phone),"
    "  updated_at = excluded.updated_at "
    "RETURNING id",
    error);
  if (stmt == NULL)
    return FALSE;

  if (row->timezones != NULL)
    timezones = join_strv (row->timezones);
  attributes = attributes_to_json_arrays (row->attr_names, row->attr_values);

  bind_text (stmt, ":phone", row->phone);
  bind_text (stmt, ":first", row->first_name);
  bind_text (stmt, ":last", row->last_name);
  bind_text (stmt, ":email", row->email);
  bind_text (stmt, ":language", row->language);
  bind_text (stmt, ":country", row->country);
  bind_text (stmt, ":timezones", timezones);
  bind_text (stmt, ":attributes", attributes);
  bind_int64 (stmt, ":now", now);

  db->upsert_updated = FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _tc_db_set_error (db, error, "Cannot store the contact");
      sqlite3_reset (stmt);
      return FALSE;
    }
  id = sqlite3_column_int64 (stmt, 0);
  if (!step_done (db, stmt, error, "Cannot store the contact"))
    return FALSE;

  if (!add_tags (db, id, row->tags, error))
    return FALSE;

  if (++db->n_upserts % BULK_CHECK_EVERY == 0 && !maybe_start_bulk_load (db, error))
    return FALSE;

  if (id_out != NULL)
    *id_out = id;
  if (updated_out != NULL)
    *updated_out = db->upsert_updated;

  return TRUE;
}

/* Exactly what sql_sort_key (), sql_search_text (), join_strv () and
 * attributes_to_json_arrays () make of the values _tc_db_upsert_contact ()
 * binds, so that both ways store the same row. */
void
_tc_contact_row_derive (const TcContactRow  *row,
                        GString             *scratch,
                        GStringChunk        *strings,
                        TcContactRowDerived *derived)
{
  gsize last_len, first_len;

  g_return_if_fail (row != NULL);
  g_return_if_fail (scratch != NULL);
  g_return_if_fail (strings != NULL);
  g_return_if_fail (derived != NULL);

  g_string_truncate (scratch, 0);
  append_folded (scratch, row->last_name);
  last_len = scratch->len;
  g_string_append_c (scratch, '\x01');
  append_folded (scratch, row->first_name);
  first_len = scratch->len - last_len - 1;
  g_string_append_c (scratch, '\x01');
  g_string_append (scratch, nonnull (row->phone));
  derived->sort_key = g_string_chunk_insert_len (strings, scratch->str, (gssize) scratch->len);

  /* The names are folded once: the search text takes them from the key. */
  g_string_truncate (scratch, 0);
  g_string_append_len (scratch, derived->sort_key + last_len + 1, (gssize) first_len);
  g_string_append_c (scratch, ' ');
  g_string_append_len (scratch, derived->sort_key, (gssize) last_len);
  g_string_append_c (scratch, '\x01');
  append_folded (scratch, row->email);
  g_string_append_c (scratch, '\x01');
  g_string_append (scratch, nonnull (row->phone));
  derived->search_text = g_string_chunk_insert_len (strings, scratch->str, (gssize) scratch->len);

  derived->timezones = NULL;
  if (row->timezones != NULL)
    {
      g_string_truncate (scratch, 0);
      for (guint i = 0; row->timezones[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append_c (scratch, ' ');
          g_string_append (scratch, row->timezones[i]);
        }
      derived->timezones = g_string_chunk_insert_len (strings, scratch->str, (gssize) scratch->len);
    }

  g_string_truncate (scratch, 0);
  append_attributes_json (scratch, row->attr_names, row->attr_values);
  derived->attributes = g_string_chunk_insert_len (strings, scratch->str, (gssize) scratch->len);
}

static void
bind_static (sqlite3_stmt *stmt,
             int           index,
             const char   *value)
{
  sqlite3_bind_text (stmt, index, nonnull (value), -1, SQLITE_STATIC);
}

gboolean
_tc_db_upsert_contact_derived (TcDb                      *db,
                               const TcContactRow        *row,
                               const TcContactRowDerived *derived,
                               gint64                     now,
                               gint64                    *id_out,
                               gboolean                  *updated_out,
                               GError                   **error)
{
  sqlite3_stmt *stmt;
  sqlite3_int64 changes;
  gboolean inserted;
  gint64 id;
  int rc;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (row != NULL, FALSE);
  g_return_val_if_fail (derived != NULL, FALSE);
  g_return_val_if_fail (row->phone != NULL && row->phone[0] != '\0', FALSE);

  /* A new phone: one plain insert of values computed elsewhere, with no
   * SQL function, no RETURNING (whose temporary table costs as much as
   * the insert) and, being OR IGNORE, nothing that can fail half-way, so
   * no statement journal. A known phone (or any other constraint) inserts
   * nothing and takes the full upsert, which merges and reports errors. */
  stmt = _tc_db_prepare (db,
    "INSERT OR IGNORE INTO contacts (phone, first_name, last_name, email, language, country,"
    "                                timezones, attributes, sort_key, search_text,"
    "                                created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
    error);
  if (stmt == NULL)
    return FALSE;

  bind_static (stmt, 1, row->phone);
  bind_static (stmt, 2, row->first_name);
  bind_static (stmt, 3, row->last_name);
  bind_static (stmt, 4, row->email);
  bind_static (stmt, 5, row->language);
  bind_static (stmt, 6, row->country);
  bind_static (stmt, 7, derived->timezones);
  bind_static (stmt, 8, derived->attributes);
  bind_static (stmt, 9, derived->sort_key);
  bind_static (stmt, 10, derived->search_text);
  sqlite3_bind_int64 (stmt, 11, now);

  changes = sqlite3_total_changes64 (db->handle);
  rc = sqlite3_step (stmt);
  inserted = rc == SQLITE_DONE && sqlite3_total_changes64 (db->handle) > changes;
  id = sqlite3_last_insert_rowid (db->handle);
  if (rc != SQLITE_DONE)
    _tc_db_set_error (db, error, "Cannot store the contact");
  sqlite3_reset (stmt);
  /* The values are borrowed (SQLITE_STATIC): let go of them now. */
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    return FALSE;

  if (!inserted)
    return _tc_db_upsert_contact (db, row, now, id_out, updated_out, error);

  if (!add_tags (db, id, row->tags, error))
    return FALSE;

  if (++db->n_upserts % BULK_CHECK_EVERY == 0 && !maybe_start_bulk_load (db, error))
    return FALSE;

  if (id_out != NULL)
    *id_out = id;
  if (updated_out != NULL)
    *updated_out = FALSE;

  return TRUE;
}

/* ------------------------------------------------------------------------
 * Workers and jobs
 */

static void
job_free (Job *job)
{
  if (job->job_data_free != NULL && job->job_data != NULL)
    job->job_data_free (job->job_data);
  if (job->result != NULL && job->result_free != NULL)
    job->result_free (job->result);
  g_clear_error (&job->error);
  g_clear_object (&job->task);
  g_free (job);
}

static gboolean
emit_changed_cb (gpointer data)
{
  TcRepository *self = data;

  g_signal_emit (self, signals[CONTACTS_CHANGED], 0);

  return G_SOURCE_REMOVE;
}

/* Runs on the task's context: the only place a job's result is delivered
 * and its references dropped. */
static gboolean
job_complete_cb (gpointer data)
{
  Job *job = data;
  g_autoptr(TcRepository) self = g_object_ref (g_task_get_source_object (job->task));
  gboolean changed = job->emit_changed && job->error == NULL;

  if (job->job_data_free != NULL && job->job_data != NULL)
    g_clear_pointer (&job->job_data, job->job_data_free);

  if (job->error != NULL)
    g_task_return_error (job->task, g_steal_pointer (&job->error));
  else
    g_task_return_pointer (job->task, g_steal_pointer (&job->result), job->result_free);

  if (changed)
    {
      /* Usually the task's context is the one that opened the repository;
       * otherwise hop over to it. */
      if (g_main_context_is_owner (self->main_context))
        emit_changed_cb (self);
      else
        {
          g_autoptr(GSource) source = g_idle_source_new ();

          g_source_set_callback (source, emit_changed_cb, g_object_ref (self), g_object_unref);
          g_source_set_static_name (source, "[tc-repository] contacts changed");
          g_source_attach (source, self->main_context);
        }
    }

  job_free (job);

  return G_SOURCE_REMOVE;
}

static void
job_complete (Job *job)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, job_complete_cb, job, NULL);
  g_source_set_static_name (source, "[tc-repository] job complete");
  g_source_attach (source, g_task_get_context (job->task));
}

static void
run_job (Worker       *worker,
         Job          *job,
         GCancellable *cancellable)
{
  sqlite3_stmt *stmt = NULL;

  job->result = job->func (worker->db, job->job_data, cancellable, &job->error);
  if (job->result == NULL && job->error == NULL)
    g_set_error (&job->error, TC_DB_ERROR, TC_DB_ERROR_FAILED,
                 "A database job failed without saying why");

  if (worker->db == NULL)
    return;

  /* A statement left half-stepped would pin a read snapshot (the reader
   * would never see new commits) or a lock. */
  while ((stmt = sqlite3_next_stmt (worker->db->handle, stmt)) != NULL)
    if (sqlite3_stmt_busy (stmt))
      sqlite3_reset (stmt);

  /* Committed by hand in the middle of a bulk load: the index must not
   * stay missing. */
  if (sqlite3_get_autocommit (worker->db->handle) && worker->db->sort_index_dropped)
    {
      g_autoptr(GError) local_error = NULL;

      if (!rebuild_sort_index (worker->db, &local_error))
        g_warning ("Cannot rebuild the contacts index: %s", local_error->message);
    }

  /* A failed job's writes are undone; a job that forgot to commit fails
   * rather than leave the next job inside its transaction. */
  if (!sqlite3_get_autocommit (worker->db->handle))
    {
      _tc_db_rollback (worker->db);
      if (job->error == NULL)
        g_set_error (&job->error, TC_DB_ERROR, TC_DB_ERROR_FAILED,
                     "A database job left its transaction open; its changes were undone");
    }

  if (job->error != NULL && job->result != NULL)
    {
      if (job->result_free != NULL)
        job->result_free (job->result);
      job->result = NULL;
    }
}

/* The nice increment of the worker threads made from now on (see
 * tc_repository_set_thread_niceness()). */
static gint thread_niceness;

void
tc_repository_set_thread_niceness (int increment)
{
  g_return_if_fail (increment >= 0 && increment <= 19);

  g_atomic_int_set (&thread_niceness, increment);
}

/* On the calling thread. Linux gives each thread its own nice value;
 * setpriority() on a thread id changes only that thread. The increment is
 * from the main thread's (the process id's) value, not the calling
 * thread's: a worker started by another worker would otherwise count it
 * twice. */
static void
lower_thread_priority (const char *name)
{
#ifdef __linux__
  int increment = g_atomic_int_get (&thread_niceness);
  int base;

  if (increment == 0)
    return;

  errno = 0;
  base = getpriority (PRIO_PROCESS, (id_t) getpid ());
  if (base == -1 && errno != 0)
    return;
  if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), MIN (base + increment, 19)) != 0)
    g_debug ("Could not lower the priority of %s: %s", name, g_strerror (errno));
#endif
}

static gpointer
worker_thread_func (gpointer data)
{
  Worker *worker = data;

  lower_thread_priority (worker->name);

  for (;;)
    {
      Job *job = g_async_queue_pop (worker->queue);
      GCancellable *cancellable;

      if (job->func == NULL)
        {
          job_free (job);
          break;
        }

      cancellable = g_task_get_cancellable (job->task);
      if (!g_cancellable_set_error_if_cancelled (cancellable, &job->error))
        {
          if (worker->db == NULL && job->func != open_job)
            g_set_error (&job->error, TC_DB_ERROR, TC_DB_ERROR_CLOSED, "The database is not open");
          else
            run_job (worker, job, cancellable);
        }

      job_complete (job);
    }

  g_clear_pointer (&worker->db, db_free);

  return NULL;
}

static Worker *
worker_new (const char *name)
{
  Worker *worker = g_new0 (Worker, 1);

  worker->name = name;
  worker->queue = g_async_queue_new ();

  return worker;
}

static void
worker_start (Worker *worker)
{
  worker->thread = g_thread_new (worker->name, worker_thread_func, worker);
}

/* Stops the thread after the jobs already queued; a worker whose thread
 * never started fails its queued jobs instead. */
static void
worker_stop (Worker *worker)
{
  Job *quit = g_new0 (Job, 1);

  g_async_queue_push (worker->queue, quit);

  if (worker->thread != NULL)
    {
      g_thread_join (g_steal_pointer (&worker->thread));
      return;
    }

  for (;;)
    {
      Job *job = g_async_queue_pop (worker->queue);

      if (job->func == NULL)
        {
          job_free (job);
          break;
        }
      g_set_error (&job->error, TC_DB_ERROR, TC_DB_ERROR_CLOSED, "The database is not open");
      job_complete (job);
    }
  g_clear_pointer (&worker->db, db_free);
}

static void
worker_free (Worker *worker)
{
  g_assert (worker->thread == NULL);
  g_assert (worker->db == NULL);

  g_async_queue_unref (worker->queue);
  g_free (worker);
}

static void
push_job (TcRepository   *self,
          GTask          *task,
          TcDbJobKind     kind,
          TcDbJobFunc     func,
          gpointer        job_data,
          GDestroyNotify  job_data_free,
          GDestroyNotify  result_free,
          gboolean        emit_changed)
{
  Job *job;

  g_assert (func != NULL);

  if (self->state == STATE_CLOSED)
    {
      if (job_data_free != NULL && job_data != NULL)
        job_data_free (job_data);
      g_task_return_new_error (task, TC_DB_ERROR, TC_DB_ERROR_CLOSED, "The database is not open");
      g_object_unref (task);
      return;
    }

  /* A committed write is reported as done even if cancelled meanwhile. */
  if (kind == TC_DB_JOB_WRITE)
    g_task_set_check_cancellable (task, FALSE);

  job = g_new0 (Job, 1);
  job->kind = kind;
  job->func = func;
  job->job_data = job_data;
  job->job_data_free = job_data_free;
  job->result_free = result_free;
  job->task = task;
  job->emit_changed = emit_changed && kind == TC_DB_JOB_WRITE;

  g_async_queue_push (kind == TC_DB_JOB_WRITE ? self->writer->queue : self->reader->queue, job);
}

void
_tc_repository_run_async (TcRepository        *self,
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

  g_return_if_fail (TC_IS_REPOSITORY (self));
  g_return_if_fail (func != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _tc_repository_run_async);

  push_job (self, task, kind, func, job_data, job_data_free, result_free, TRUE);
}

void
_tc_repository_run_async_full (TcRepository        *self,
                               TcDbJobKind          kind,
                               TcDbJobFunc          func,
                               gpointer             job_data,
                               GDestroyNotify       job_data_free,
                               GDestroyNotify       result_free,
                               gboolean             contacts_changed,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TC_IS_REPOSITORY (self));
  g_return_if_fail (func != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  /* The same source tag as _tc_repository_run_async(): both end in
   * _tc_repository_run_finish(). */
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _tc_repository_run_async);

  push_job (self, task, kind, func, job_data, job_data_free, result_free, contacts_changed);
}

gpointer
_tc_repository_run_finish (TcRepository  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------
 * GObject
 */

static void
tc_repository_dispose (GObject *object)
{
  TcRepository *self = (TcRepository *)object;

  tc_repository_close (self);

  G_OBJECT_CLASS (tc_repository_parent_class)->dispose (object);
}

static void
tc_repository_finalize (GObject *object)
{
  TcRepository *self = (TcRepository *)object;

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->main_context, g_main_context_unref);

  G_OBJECT_CLASS (tc_repository_parent_class)->finalize (object);
}

static void
tc_repository_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TcRepository *self = TC_REPOSITORY (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_repository_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TcRepository *self = TC_REPOSITORY (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_repository_class_init (TcRepositoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tc_repository_dispose;
  object_class->finalize = tc_repository_finalize;
  object_class->get_property = tc_repository_get_property;
  object_class->set_property = tc_repository_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CONTACTS_CHANGED] =
    g_signal_new ("contacts-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /* Emitted by tc-settings.c, on the caller's main context, after a
   * setting was stored or removed; the detail is the key. */
  signals[SETTINGS_CHANGED] =
    g_signal_new ("settings-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
tc_repository_init (TcRepository *self)
{
}

TcRepository *
tc_repository_new (const char *path)
{
  g_return_val_if_fail (path != NULL, NULL);

  return g_object_new (TC_TYPE_REPOSITORY,
                       "path", path,
                       NULL);
}

const char *
tc_repository_get_path (TcRepository *self)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (self), NULL);

  return self->path;
}

/* ------------------------------------------------------------------------
 * Open and close
 */

typedef struct
{
  char   *path;
  Worker *writer;
  Worker *reader;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_free (data->path);
  g_free (data);
}

static gpointer
open_job (TcDb          *unused,
          gpointer       job_data,
          GCancellable  *cancellable,
          GError       **error)
{
  OpenData *data = job_data;
  g_autofree char *dir = g_path_get_dirname (data->path);
  g_autoptr(TcDb) rw = NULL;
  g_autoptr(TcDb) ro = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_autofree char *name = g_filename_display_name (dir);

      g_set_error (error, TC_DB_ERROR, TC_DB_ERROR_CANT_OPEN,
                   "Cannot create the folder “%s”: %s", name, g_strerror (saved_errno));
      return NULL;
    }

  rw = db_open (data->path, FALSE, error);
  if (rw == NULL)
    return NULL;
  if (!migrate (rw, data->path, error))
    return NULL;
  ro = db_open (data->path, TRUE, error);
  if (ro == NULL)
    return NULL;

  /* The reader thread starts only now, so reads queued while opening wait
   * for a connection that sees the migrated schema. */
  data->writer->db = g_steal_pointer (&rw);
  data->reader->db = g_steal_pointer (&ro);
  worker_start (data->reader);

  return GINT_TO_POINTER (1);
}

static void
stop_workers (TcRepository *self)
{
  /* The writer first: it may still be starting the reader. */
  if (self->writer != NULL)
    {
      worker_stop (self->writer);
      g_clear_pointer (&self->writer, worker_free);
    }
  if (self->reader != NULL)
    {
      worker_stop (self->reader);
      g_clear_pointer (&self->reader, worker_free);
    }
}

static void
on_open_job_done_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  TcRepository *self = TC_REPOSITORY (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  /* Closed and opened again meanwhile: this answer is not for the current
   * workers. */
  gboolean current = GPOINTER_TO_UINT (g_task_get_task_data (G_TASK (result))) == self->open_serial;

  if (g_task_propagate_pointer (G_TASK (result), &error) == NULL)
    {
      if (current && self->state == STATE_OPENING)
        {
          self->state = STATE_CLOSED;
          stop_workers (self);
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!current || self->state != STATE_OPENING)
    {
      g_task_return_new_error (task, TC_DB_ERROR, TC_DB_ERROR_CLOSED,
                               "The database was closed while opening");
      return;
    }

  self->state = STATE_OPEN;
  g_task_return_boolean (task, TRUE);

  /* Lists made before the repository was open count again. */
  g_signal_emit (self, signals[CONTACTS_CHANGED], 0);
}

void
tc_repository_open_async (TcRepository        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GTask *job_task;
  OpenData *data;

  g_return_if_fail (TC_IS_REPOSITORY (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_repository_open_async);

  if (self->state == STATE_OPEN)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->state == STATE_OPENING)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The database is already being opened");
      return;
    }

  g_clear_pointer (&self->main_context, g_main_context_unref);
  self->main_context = g_main_context_ref_thread_default ();
  self->state = STATE_OPENING;
  self->writer = worker_new ("tc-db-writer");
  self->reader = worker_new ("tc-db-reader");
  worker_start (self->writer);

  data = g_new0 (OpenData, 1);
  data->path = g_strdup (self->path);
  data->writer = self->writer;
  data->reader = self->reader;

  job_task = g_task_new (self, cancellable, on_open_job_done_cb, g_steal_pointer (&task));
  g_task_set_source_tag (job_task, tc_repository_open_async);
  g_task_set_task_data (job_task, GUINT_TO_POINTER (++self->open_serial), NULL);
  push_job (self, job_task, TC_DB_JOB_WRITE, open_job,
            data, (GDestroyNotify) open_data_free, NULL, FALSE);
}

gboolean
tc_repository_open_finish (TcRepository  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tc_repository_close (TcRepository *self)
{
  g_return_if_fail (TC_IS_REPOSITORY (self));

  if (self->state == STATE_CLOSED)
    return;

  self->state = STATE_CLOSED;
  stop_workers (self);
}

/* ------------------------------------------------------------------------
 * Public queries
 */

typedef struct
{
  char  *search;
  char  *tag;
  guint  offset;
  guint  limit;
} ListData;

static void
list_data_free (ListData *data)
{
  g_free (data->search);
  g_free (data->tag);
  g_free (data);
}

static ListData *
list_data_new (const char *search,
               const char *tag,
               guint       offset,
               guint       limit)
{
  ListData *data = g_new0 (ListData, 1);

  data->search = g_strdup (search);
  data->tag = g_strdup (tag);
  data->offset = offset;
  data->limit = limit;

  return data;
}

static gpointer
count_job (TcDb          *db,
           gpointer       job_data,
           GCancellable  *cancellable,
           GError       **error)
{
  ListData *data = job_data;
  guint n = 0;
  guint *result;

  if (!_tc_db_count_contacts (db, data->search, data->tag, &n, error))
    return NULL;

  result = g_new (guint, 1);
  *result = n;

  return result;
}

void
tc_repository_count_contacts_async (TcRepository        *self,
                                    const char          *search,
                                    const char          *tag,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TC_IS_REPOSITORY (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_repository_count_contacts_async);
  push_job (self, task, TC_DB_JOB_READ, count_job,
            list_data_new (search, tag, 0, 0), (GDestroyNotify) list_data_free, g_free, FALSE);
}

gboolean
tc_repository_count_contacts_finish (TcRepository  *self,
                                     GAsyncResult  *result,
                                     guint         *n_contacts,
                                     GError       **error)
{
  g_autofree guint *n = NULL;

  g_return_val_if_fail (TC_IS_REPOSITORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  n = g_task_propagate_pointer (G_TASK (result), error);
  if (n == NULL)
    return FALSE;

  if (n_contacts != NULL)
    *n_contacts = *n;

  return TRUE;
}

static gpointer
list_job (TcDb          *db,
          gpointer       job_data,
          GCancellable  *cancellable,
          GError       **error)
{
  ListData *data = job_data;
  GPtrArray *contacts;

  contacts = _tc_db_list_contacts (db, data->search, data->tag, data->offset, data->limit, error);
  /* Formatting a number (libphonenumber) takes a while: done here, off the
   * thread that shows the list. */
  for (guint i = 0; contacts != NULL && i < contacts->len; i++)
    tc_contact_get_phone_display (contacts->pdata[i]);

  return contacts;
}

void
tc_repository_list_contacts_async (TcRepository        *self,
                                   const char          *search,
                                   const char          *tag,
                                   guint                offset,
                                   guint                limit,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TC_IS_REPOSITORY (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_repository_list_contacts_async);
  push_job (self, task, TC_DB_JOB_READ, list_job,
            list_data_new (search, tag, offset, limit), (GDestroyNotify) list_data_free,
            (GDestroyNotify) g_ptr_array_unref, FALSE);
}

GPtrArray *
tc_repository_list_contacts_finish (TcRepository  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gpointer
get_contact_job (TcDb          *db,
                 gpointer       job_data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  gint64 *id = job_data;

  return _tc_db_load_contact (db, *id, error);
}

void
tc_repository_get_contact_async (TcRepository        *self,
                                 gint64               id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TC_IS_REPOSITORY (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_repository_get_contact_async);
  push_job (self, task, TC_DB_JOB_READ, get_contact_job,
            g_memdup2 (&id, sizeof id), g_free, g_object_unref, FALSE);
}

TcContact *
tc_repository_get_contact_finish (TcRepository  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gpointer
find_by_phone_job (TcDb          *db,
                   gpointer       job_data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  const char *phone = job_data;
  sqlite3_stmt *stmt;
  gint64 id;
  int rc;

  stmt = _tc_db_prepare (db, "SELECT id FROM contacts WHERE phone = :phone", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, ":phone", phone);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      g_set_error (error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND, "No contact with the number %s", phone);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _tc_db_set_error (db, error, "Cannot look up the number");
      sqlite3_reset (stmt);
      return NULL;
    }
  id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return _tc_db_load_contact (db, id, error);
}

void
tc_repository_find_contact_by_phone_async (TcRepository        *self,
                                           const char          *e164,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TC_IS_REPOSITORY (self));
  g_return_if_fail (e164 != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_repository_find_contact_by_phone_async);
  push_job (self, task, TC_DB_JOB_READ, find_by_phone_job,
            g_strdup (e164), g_free, g_object_unref, FALSE);
}

TcContact *
tc_repository_find_contact_by_phone_finish (TcRepository  *self,
                                            GAsyncResult  *result,
                                            GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* A snapshot of a contact taken on the caller's thread: the worker never
 * reads a GObject that the GUI may be editing. */
typedef struct
{
  gint64   id;
  char    *phone;
  char    *first_name;
  char    *last_name;
  char    *email;
  char    *language;
  char    *country;
  char    *timezones;
  GStrv    tags;
  char    *attributes;
  gint64   created_at;   /* 0: now */
} SaveData;

typedef struct
{
  gint64 id;
  gint64 created_at;
  gint64 updated_at;
} SaveResult;

static void
save_data_free (SaveData *data)
{
  g_free (data->phone);
  g_free (data->first_name);
  g_free (data->last_name);
  g_free (data->email);
  g_free (data->language);
  g_free (data->country);
  g_free (data->timezones);
  g_strfreev (data->tags);
  g_free (data->attributes);
  g_free (data);
}

static gboolean
save_contact_in_transaction (TcDb        *db,
                             SaveData    *data,
                             SaveResult  *result,
                             GError     **error)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  sqlite3_stmt *stmt;
  int rc;

  if (data->id == 0)
    stmt = _tc_db_prepare (db,
      "INSERT INTO contacts (phone, first_name, last_name, email, language, country,"
      "                      timezones, attributes, sort_key, search_text, created_at, updated_at) "
      "VALUES (:phone, :first, :last, :email, :language, :country, :timezones, :attributes,"
      "        tc_sort_key (:last, :first, :phone),"
      "        tc_search_text (:first, :last, :email, :phone), :created, :now) "
      "RETURNING id, created_at, updated_at",
      error);
  else
    stmt = _tc_db_prepare (db,
      "UPDATE contacts SET phone = :phone, first_name = :first, last_name = :last,"
      "  email = :email, language = :language, country = :country, timezones = :timezones,"
      "  attributes = :attributes, sort_key = tc_sort_key (:last, :first, :phone),"
      "  search_text = tc_search_text (:first, :last, :email, :phone),"
      "  created_at = coalesce (nullif (:created, 0), created_at), updated_at = :now "
      "WHERE id = :id "
      "RETURNING id, created_at, updated_at",
      error);
  if (stmt == NULL)
    return FALSE;

  bind_text (stmt, ":phone", data->phone);
  bind_text (stmt, ":first", data->first_name);
  bind_text (stmt, ":last", data->last_name);
  bind_text (stmt, ":email", data->email);
  bind_text (stmt, ":language", data->language);
  bind_text (stmt, ":country", data->country);
  bind_text (stmt, ":timezones", data->timezones);
  bind_text (stmt, ":attributes", data->attributes);
  bind_int64 (stmt, ":now", now);
  if (data->id == 0)
    bind_int64 (stmt, ":created", data->created_at != 0 ? data->created_at : now);
  else
    {
      bind_int64 (stmt, ":created", data->created_at);
      bind_int64 (stmt, ":id", data->id);
    }

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      g_set_error (error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND,
                   "No contact with id %" G_GINT64_FORMAT, data->id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      _tc_db_set_error (db, error, "Cannot save the contact");
      sqlite3_reset (stmt);
      return FALSE;
    }
  result->id = sqlite3_column_int64 (stmt, 0);
  result->created_at = sqlite3_column_int64 (stmt, 1);
  result->updated_at = sqlite3_column_int64 (stmt, 2);
  if (!step_done (db, stmt, error, "Cannot save the contact"))
    return FALSE;

  stmt = _tc_db_prepare (db, "DELETE FROM contact_tags WHERE contact_id = :id", error);
  if (stmt == NULL)
    return FALSE;
  bind_int64 (stmt, ":id", result->id);
  if (!step_done (db, stmt, error, "Cannot save the tags"))
    return FALSE;

  return add_tags (db, result->id, (const char * const *) data->tags, error);
}

static gpointer
save_contact_job (TcDb          *db,
                  gpointer       job_data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autofree SaveResult *result = g_new0 (SaveResult, 1);

  if (!_tc_db_begin (db, error))
    return NULL;

  if (!save_contact_in_transaction (db, job_data, result, error) ||
      !_tc_db_commit (db, error))
    {
      _tc_db_rollback (db);
      return NULL;
    }

  return g_steal_pointer (&result);
}

void
tc_repository_save_contact_async (TcRepository        *self,
                                  TcContact           *contact,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  SaveData *data;
  GDateTime *created_at;

  g_return_if_fail (TC_IS_REPOSITORY (self));
  g_return_if_fail (TC_IS_CONTACT (contact));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (SaveData, 1);
  data->id = tc_contact_get_id (contact);
  data->phone = g_strdup (tc_contact_get_phone (contact));
  data->first_name = g_strdup (tc_contact_get_first_name (contact));
  data->last_name = g_strdup (tc_contact_get_last_name (contact));
  data->email = g_strdup (tc_contact_get_email (contact));
  data->language = g_strdup (tc_contact_get_language (contact));
  data->country = g_strdup (tc_contact_get_country (contact));
  data->timezones = join_strv (tc_contact_get_timezones (contact));
  data->tags = g_strdupv ((char **) tc_contact_get_tags (contact));
  data->attributes = attributes_to_json (tc_contact_get_attributes (contact));
  created_at = tc_contact_get_created_at (contact);
  data->created_at = created_at != NULL ? g_date_time_to_unix (created_at) : 0;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_repository_save_contact_async);
  g_task_set_task_data (task, g_object_ref (contact), g_object_unref);
  push_job (self, task, TC_DB_JOB_WRITE, save_contact_job,
            data, (GDestroyNotify) save_data_free, g_free, TRUE);
}

gboolean
tc_repository_save_contact_finish (TcRepository  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_autofree SaveResult *saved = NULL;
  TcContact *contact;
  g_autoptr(GDateTime) created_at = NULL;
  g_autoptr(GDateTime) updated_at = NULL;

  g_return_val_if_fail (TC_IS_REPOSITORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  saved = g_task_propagate_pointer (G_TASK (result), error);
  if (saved == NULL)
    return FALSE;

  contact = g_task_get_task_data (G_TASK (result));
  created_at = date_time_from_unix (saved->created_at);
  updated_at = date_time_from_unix (saved->updated_at);
  g_object_freeze_notify (G_OBJECT (contact));
  tc_contact_set_id (contact, saved->id);
  tc_contact_set_created_at (contact, created_at);
  tc_contact_set_updated_at (contact, updated_at);
  g_object_thaw_notify (G_OBJECT (contact));

  return TRUE;
}

static gpointer
delete_contact_job (TcDb          *db,
                    gpointer       job_data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  gint64 *id = job_data;
  sqlite3_stmt *stmt;

  stmt = _tc_db_prepare (db, "DELETE FROM contacts WHERE id = :id", error);
  if (stmt == NULL)
    return NULL;
  bind_int64 (stmt, ":id", *id);
  if (!step_done (db, stmt, error, "Cannot delete the contact"))
    return NULL;

  if (sqlite3_changes (db->handle) == 0)
    {
      g_set_error (error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND,
                   "No contact with id %" G_GINT64_FORMAT, *id);
      return NULL;
    }

  return GINT_TO_POINTER (1);
}

void
tc_repository_delete_contact_async (TcRepository        *self,
                                    gint64               id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TC_IS_REPOSITORY (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_repository_delete_contact_async);
  push_job (self, task, TC_DB_JOB_WRITE, delete_contact_job,
            g_memdup2 (&id, sizeof id), g_free, NULL, TRUE);
}

gboolean
tc_repository_delete_contact_finish (TcRepository  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_pointer (G_TASK (result), error) != NULL;
}

static gpointer
list_tags_job (TcDb          *db,
               gpointer       job_data,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  stmt = _tc_db_prepare (db,
                         "SELECT t.name FROM tags t "
                         "WHERE EXISTS (SELECT 1 FROM contact_tags ct WHERE ct.tag_id = t.id) "
                         "ORDER BY t.name",
                         error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot list tags");
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  return g_strv_builder_end (builder);
}

void
tc_repository_list_tags_async (TcRepository        *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TC_IS_REPOSITORY (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_repository_list_tags_async);
  push_job (self, task, TC_DB_JOB_READ, list_tags_job,
            NULL, NULL, (GDestroyNotify) g_strfreev, FALSE);
}

GStrv
tc_repository_list_tags_finish (TcRepository  *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------
 * Waiting (CLI, tests, benchmarks)
 */

void
tc_repository_wait (GAsyncResult **result)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();

  g_return_if_fail (result != NULL);

  while (*result == NULL)
    g_main_context_iteration (context, TRUE);
}

void
tc_repository_store_result_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_return_if_fail (out != NULL);

  g_clear_object (out);
  *out = g_object_ref (result);
}
