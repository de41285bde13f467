/* bench-engine.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How fast the send engine gets N queued messages out through the real
 * Twilio provider (tc-twilio.c, one SoupSession from tc_soup_session_new)
 * to a fake Twilio with no rate limit, and how much memory it takes.
 *
 * Three processes (the program runs itself again), so that each figure
 * counts one thing:
 *   --serve          a fake Twilio on 127.0.0.1 (SoupServer): every create
 *                    request answers 201 with a new SID; prints its port
 *   --setup DB N     a workspace with N opted-in contacts and N queued
 *                    promotional SMS through sender 55555 (no rate limit),
 *                    written with plain SQL in one transaction
 *   --send DB URL N  the engine: opens the workspace, starts the engine
 *                    and waits until it is idle; prints messages/s and its
 *                    peak RSS (VmHWM, and getrusage's ru_maxrss)
 * Prints its figures; never fails on a slow machine (it does fail when a
 * message is not sent exactly once).
 *
 *   bench-engine [N]   N messages, default 100000 (or $BENCH_ROWS)
 *
 * BENCH_MPS=50 bench-engine 3000 limits the sender to 50 segments/s (one
 * minute's worth): messages/s is then how well the token bucket holds it.
 * A last process (--floor) sends the same N POSTs from bare libsoup, each on
 * a new connection as the provider does, for comparison (skipped when
 * paced); BENCH_FLOOR_KEEP_ALIVE, BENCH_FLOOR_NO_PROXY and
 * BENCH_FLOOR_MAX_CONNS=K change that floor's session to show what the
 * provider's choices cost. BENCH_ORIGIN=campaign:1:A gives the rows that
 * origin (default "bench"), so that every move also keeps a campaign's
 * counters (schema 12).
 */

#define G_LOG_DOMAIN "bench-engine"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

#include "tc-campaign-counts.h"
#include "tc-engine.h"
#include "tc-repository.h"
#include "tc-soup.h"
#include "tc-twilio.h"

#define ACCOUNT_SID "AC0123456789abcdef0123456789abcdef"

/* ------------------------------------------------------------------------
 * --serve
 */

static guint64 n_served;

static void
serve_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  char answer[128];
  int len;

  if (strcmp (soup_server_message_get_method (msg), "POST") != 0)
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }

  len = g_snprintf (answer, sizeof answer, "{\"sid\":\"SM%032" G_GINT64_MODIFIER "x\",\"status\":\"queued\"}",
                    ++n_served);
  /* The provider opens a new connection for every create request; closing
   * it here keeps this server's sockets bounded (libsoup 3.2's server does
   * not notice idle keep-alive connections the client closed). */
  if (soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "X-Bench-Keep-Alive") == NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
  soup_server_message_set_status (msg, 201, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, answer, len);
}

static gboolean
on_stdin_cb (GIOChannel   *channel,
             GIOCondition  condition,
             gpointer      user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static int
run_serve (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  soup_server_add_handler (server, "/2010-04-01/Accounts/" ACCOUNT_SID "/Messages.json",
                           serve_cb, NULL, NULL);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("Cannot listen: %s", error->message);
  uris = soup_server_get_uris (server);
  printf ("%d\n", g_uri_get_port (uris->data));
  fflush (stdout);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  /* Ends when the parent closes our standard input. */
  {
    g_autoptr(GIOChannel) in = g_io_channel_unix_new (0);

    g_io_add_watch (in, G_IO_IN | G_IO_HUP | G_IO_ERR, on_stdin_cb, loop);
  }
  g_main_loop_run (loop);

  return 0;
}

/* ------------------------------------------------------------------------
 * --setup
 */

static void
exec_ok (sqlite3    *db,
         const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static int
run_setup (const char *path,
           guint       n,
           double      mps)
{
  g_autoptr(TcRepository) repo = tc_repository_new (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *contact, *state, *row, *event;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *origin = g_getenv ("BENCH_ORIGIN") != NULL ? g_getenv ("BENCH_ORIGIN") : "bench";

  tc_repository_open_async (repo, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_repository_open_finish (repo, result, &error))
    g_error ("Cannot create %s: %s", path, error->message);
  tc_repository_close (repo);

  if (sqlite3_open (path, &db) != SQLITE_OK)
    g_error ("Cannot open %s", path);
  exec_ok (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; BEGIN");
  {
    g_autofree char *sender = g_strdup_printf ("INSERT INTO senders (id, type, use, mps, daily_cap, countries,"
                                               " created_at, updated_at) VALUES ('55555', 'short_code', 'both',"
                                               " %g, 0, '', unixepoch (), unixepoch ())", mps);

    exec_ok (db, sender);
  }
  sqlite3_prepare_v2 (db, "INSERT INTO contacts (id, phone, first_name, last_name, created_at, updated_at,"
                          " sort_key, search_text) VALUES (?1, ?2, '', '', ?3, ?3, ?2, ?2)", -1, &contact, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO consent_state (contact_id, channel, purpose, status, since, event_id, source)"
                          " VALUES (?1, 'sms', 'promotional', 'opted_in', ?2, 0, 'import')", -1, &state, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO outbox (id, idem_key, origin, contact_id, phone, channel, purpose, body,"
                          " state, due_at, created_at, updated_at, segments)"
                          " VALUES (?1, 'bench:' || ?1, ?4, ?1, ?2, 'sms', 'promotional',"
                          " 'Spring sale: 20% off everything until Sunday. Reply STOP to opt out',"
                          " 'queued', ?3, ?3, ?3, 1)", -1, &row, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO outbox_events (outbox_id, state, at) VALUES (?1, 'queued', ?2)",
                      -1, &event, NULL);

  for (guint i = 1; i <= n; i++)
    {
      char phone[32];

      g_snprintf (phone, sizeof phone, "+1415%07u", i);
      sqlite3_bind_int64 (contact, 1, i);
      sqlite3_bind_text (contact, 2, phone, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (contact, 3, now);
      sqlite3_bind_int64 (state, 1, i);
      sqlite3_bind_int64 (state, 2, now);
      sqlite3_bind_int64 (row, 1, i);
      sqlite3_bind_text (row, 2, phone, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (row, 3, now);
      sqlite3_bind_text (row, 4, origin, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (event, 1, i);
      sqlite3_bind_int64 (event, 2, now);
      if (sqlite3_step (contact) != SQLITE_DONE || sqlite3_step (state) != SQLITE_DONE ||
          sqlite3_step (row) != SQLITE_DONE || sqlite3_step (event) != SQLITE_DONE)
        g_error ("Cannot write row %u: %s", i, sqlite3_errmsg (db));
      sqlite3_reset (contact);
      sqlite3_reset (state);
      sqlite3_reset (row);
      sqlite3_reset (event);
    }
  sqlite3_finalize (contact);
  sqlite3_finalize (state);
  sqlite3_finalize (row);
  sqlite3_finalize (event);
  /* Rows written by hand: their campaign counted as the migration does. */
  if (g_str_has_prefix (origin, "campaign:"))
    exec_ok (db, "INSERT INTO campaign_counts (origin, state, detail, sent, delivered, read, cost, n)"
                 " SELECT " TC_CAMPAIGN_COUNT_KEY_SQL ("") ", count(*) FROM outbox"
                 " WHERE " TC_CAMPAIGN_ORIGIN_SQL ("") " GROUP BY 1, 2, 3, 4, 5, 6, 7");
  exec_ok (db, "COMMIT; PRAGMA wal_checkpoint (TRUNCATE)");
  sqlite3_close (db);

  return 0;
}

/* ------------------------------------------------------------------------
 * --send
 */

static gint64
vm_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, field);
  if (line == NULL)
    return -1;

  return g_ascii_strtoll (line + strlen (field), NULL, 10);
}

typedef struct
{
  gboolean idle;
  guint64  n_sent;
  gint64   rss_max_mid;
} SendState;

static void
on_idle_cb (TcEngine  *engine,
            SendState *state)
{
  state->idle = TRUE;
}

static void
on_progress_cb (TcEngine  *engine,
                guint64    n_sent,
                guint64    n_failed,
                guint64    n_waiting,
                SendState *state)
{
  state->n_sent = n_sent;
}

static gint64
count_sql (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

static int
run_send (const char *path,
          const char *base_url,
          guint       n)
{
  g_autoptr(TcRepository) repo = tc_repository_new (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = tc_soup_session_new ();
  g_autoptr(TcTwilioProvider) twilio = NULL;
  g_autoptr(TcEngine) engine = NULL;
  SendState state = { 0 };
  struct rusage usage;
  gint64 start, elapsed;
  gint64 n_sent, n_distinct;
  g_autoptr(GAsyncResult) stopped = NULL;

  tc_repository_open_async (repo, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_repository_open_finish (repo, result, &error))
    g_error ("Cannot open %s: %s", path, error->message);

  twilio = tc_twilio_provider_new (session, base_url, ACCOUNT_SID, "bench-token");
  engine = tc_engine_new (repo);
  tc_engine_set_provider (engine, TC_CHANNEL_SMS, TC_PROVIDER (twilio));
  tc_engine_set_default_sender (engine, TC_CHANNEL_SMS, "55555");
  /* Statuses come back by webhook, as with the simulator or a public URL
   * (the fake never calls it): without a callback the engine would also
   * poll every row's status, which is another benchmark
   * (BENCH_POLLING=1 measures that). */
  if (g_getenv ("BENCH_POLLING") == NULL)
    {
      g_autofree char *callback = g_strconcat (base_url, "/status", NULL);

      tc_engine_set_status_callback (engine, TC_CHANNEL_SMS, callback);
    }
  g_signal_connect (engine, "idle", G_CALLBACK (on_idle_cb), &state);
  g_signal_connect (engine, "progress", G_CALLBACK (on_progress_cb), &state);

  start = g_get_monotonic_time ();
  tc_engine_start (engine);
  while (!state.idle)
    g_main_context_iteration (NULL, TRUE);
  elapsed = g_get_monotonic_time () - start;

  tc_engine_stop_async (engine, tc_repository_store_result_cb, &stopped);
  tc_repository_wait (&stopped);
  tc_engine_stop_finish (engine, stopped, NULL);

  getrusage (RUSAGE_SELF, &usage);
  n_sent = count_sql (path, "SELECT count(*) FROM outbox WHERE state = 'sent'");
  n_distinct = count_sql (path, "SELECT count(DISTINCT provider_id) FROM outbox WHERE state = 'sent'");

  printf ("messages:        %u (sent %" G_GINT64_FORMAT ", distinct ids %" G_GINT64_FORMAT ")\n",
          n, n_sent, n_distinct);
  printf ("time:            %.2f s\n", elapsed / 1e6);
  printf ("messages/s:      %.1f\n", n / (elapsed / 1e6));
  printf ("peak RSS:        %.1f MB (VmHWM), ru_maxrss %.1f MB\n",
          vm_kib ("VmHWM:") / 1024.0, usage.ru_maxrss / 1024.0);
  printf ("SQLite memory:   %.1f MB now, %.1f MB at most (page caches: writer 64 MiB, reader 32 MiB at most)\n",
          sqlite3_memory_used () / 1048576.0, sqlite3_memory_highwater (FALSE) / 1048576.0);
  printf ("CPU:             user %.2f s, system %.2f s\n",
          usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6,
          usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6);
  fflush (stdout);

  g_clear_object (&engine);
  tc_repository_close (repo);

  return n_sent == n && n_distinct == n ? 0 : 1;
}

/* ------------------------------------------------------------------------
 * --floor: the same POSTs from bare libsoup (no engine, no database, no
 * provider), through a session from tc_soup_session_new(), 64 at a time,
 * each on a new connection as the provider sends them — what the engine
 * could reach at most.
 */

typedef struct
{
  SoupSession *session;
  char        *uri;
  guint        n_total;
  guint        n_started;
  guint        n_done;
  guint        n_ok;
} Floor;

static void floor_next (Floor *floor_state);

static void
on_floor_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Floor *floor_state = user_data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);

  floor_state->n_done++;
  if (body != NULL && g_bytes_get_size (body) > 0)
    floor_state->n_ok++;
  floor_next (floor_state);
}

static void
floor_next (Floor *floor_state)
{
  if (floor_state->n_started < floor_state->n_total)
    {
      g_autoptr(SoupMessage) message = soup_message_new ("POST", floor_state->uri);
      g_autoptr(GBytes) form = g_bytes_new_static ("To=%2B14155550100&From=55555&Body=Spring+sale",
                                                   strlen ("To=%2B14155550100&From=55555&Body=Spring+sale"));

      /* BENCH_FLOOR_KEEP_ALIVE: reuse connections instead (what the
       * provider does not do; info only). */
      if (g_getenv ("BENCH_FLOOR_KEEP_ALIVE") != NULL)
        {
          soup_message_add_flags (message, SOUP_MESSAGE_IDEMPOTENT | SOUP_MESSAGE_NO_REDIRECT);
          soup_message_headers_replace (soup_message_get_request_headers (message), "X-Bench-Keep-Alive", "1");
        }
      else
        soup_message_add_flags (message, SOUP_MESSAGE_NEW_CONNECTION | SOUP_MESSAGE_NO_REDIRECT);
      soup_message_set_request_body_from_bytes (message, SOUP_FORM_MIME_TYPE_URLENCODED, form);
      floor_state->n_started++;
      soup_session_send_and_read_async (floor_state->session, message, G_PRIORITY_DEFAULT, NULL,
                                        on_floor_done_cb, floor_state);
    }
}

static int
run_floor (const char *base_url,
           guint       n)
{
  const char *max_conns = g_getenv ("BENCH_FLOOR_MAX_CONNS");
  g_autoptr(SoupSession) session = NULL;
  Floor floor_state = { 0 };
  gint64 start, elapsed;

  /* BENCH_FLOOR_MAX_CONNS: what the session's connection limit costs
   * (a session like tc_soup_session_new()'s with another limit; info only). */
  if (max_conns != NULL)
    session = soup_session_new_with_options ("timeout", 30, "idle-timeout", 60,
                                             "max-conns", atoi (max_conns),
                                             "max-conns-per-host", atoi (max_conns), NULL);
  else
    session = tc_soup_session_new ();
  /* BENCH_FLOOR_NO_PROXY: without the proxy lookup GIO makes for every
   * new connection (info only). */
  if (g_getenv ("BENCH_FLOOR_NO_PROXY") != NULL)
    soup_session_set_proxy_resolver (session, NULL);

  floor_state.session = session;
  floor_state.uri = g_strconcat (base_url, "/2010-04-01/Accounts/" ACCOUNT_SID "/Messages.json", NULL);
  floor_state.n_total = n;

  start = g_get_monotonic_time ();
  for (guint i = 0; i < 64; i++)
    floor_next (&floor_state);
  while (floor_state.n_done < n)
    g_main_context_iteration (NULL, TRUE);
  elapsed = g_get_monotonic_time () - start;

  printf ("floor:           %.0f POSTs/s from bare libsoup, %s (%u answered)\n",
          n / (elapsed / 1e6),
          g_getenv ("BENCH_FLOOR_KEEP_ALIVE") != NULL ? "connections kept alive" : "each on a new connection",
          floor_state.n_ok);
  fflush (stdout);
  g_free (floor_state.uri);

  return 0;
}

/* ------------------------------------------------------------------------
 * The orchestra
 */

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GSubprocess) setup = NULL;
  g_autoptr(GSubprocess) sender = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *port_line = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *n_text = NULL;
  g_autofree char *mps_text = NULL;
  g_autoptr(GDataInputStream) server_out = NULL;
  guint n = 100000;
  gint64 start;
  int status;

  if (argc >= 2 && strcmp (argv[1], "--serve") == 0)
    return run_serve ();
  if (argc >= 5 && strcmp (argv[1], "--setup") == 0)
    return run_setup (argv[2], (guint) atoi (argv[3]), g_ascii_strtod (argv[4], NULL));
  if (argc >= 4 && strcmp (argv[1], "--floor") == 0)
    return run_floor (argv[2], (guint) atoi (argv[3]));
  if (argc >= 5 && strcmp (argv[1], "--send") == 0)
    return run_send (argv[2], argv[3], (guint) atoi (argv[4]));

  if (argc >= 2)
    n = (guint) atoi (argv[1]);
  else if (g_getenv ("BENCH_ROWS") != NULL)
    n = (guint) atoi (g_getenv ("BENCH_ROWS"));
  if (n == 0)
    n = 100000;
  n_text = g_strdup_printf ("%u", n);

  dir = g_dir_make_tmp ("bench-engine-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "engine.db", NULL);

  start = g_get_monotonic_time ();
  mps_text = g_strdup (g_getenv ("BENCH_MPS") != NULL ? g_getenv ("BENCH_MPS") : "0");
  setup = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, argv[0], "--setup", path, n_text, mps_text, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (setup, NULL, &error);
  g_assert_no_error (error);
  printf ("setup:           %u queued messages in %.1f s, sender 55555 at %s segments/s (0: no limit)\n",
          n, (g_get_monotonic_time () - start) / 1e6, mps_text);

  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                             argv[0], "--serve", NULL);
  g_assert_no_error (error);
  server_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  port_line = g_data_input_stream_read_line (server_out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (port_line);
  base_url = g_strdup_printf ("http://127.0.0.1:%s", port_line);
  printf ("fake Twilio:     %s (a separate process)\n", base_url);
  fflush (stdout);

  sender = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, argv[0], "--send", path, base_url, n_text, NULL);
  g_assert_no_error (error);
  g_subprocess_wait (sender, NULL, &error);
  g_assert_no_error (error);
  status = g_subprocess_get_exit_status (sender);

  if (g_ascii_strtod (mps_text, NULL) == 0)
  {
    g_autoptr(GSubprocess) floor_process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, argv[0], "--floor",
                                                             base_url, n_text, NULL);

    g_assert_no_error (error);
    g_subprocess_wait (floor_process, NULL, &error);
    g_assert_no_error (error);
  }

  g_output_stream_close (g_subprocess_get_stdin_pipe (server), NULL, NULL);
  g_subprocess_wait (server, NULL, NULL);

  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (path);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (dir);
  }

  return status;
}
