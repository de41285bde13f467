/* bench-simulator.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How many messages per second the built-in simulator takes, run as its
 * own process (`textcast-cli simulator`, with --log, no rate limit) and
 * driven from this process over loopback HTTP:
 *   1. raw: Twilio create requests from a SoupSession of its own with
 *      WINDOW connections (the simulator answers each on its own
 *      connection, "Connection: close");
 *   2. twilio: the real Twilio provider (tc_twilio_provider, a session
 *      from tc_soup_session_new(): a new connection per create request,
 *      as the provider must), WINDOW sends outstanding;
 *   3. whatsapp: the same through the real WhatsApp provider;
 *   4. callbacks: the Twilio provider again, each message with a
 *      StatusCallback to a SoupServer in this process, until every
 *      message's final status has arrived (sent, then delivered or
 *      undelivered; failed alone: about 2 callbacks per message, status
 *      delay 0); a 429 (the simulator's callback queue is full) is sent
 *      again a little later.
 * After each phase the simulator's CPU time for it (from /proc: what one
 * message costs the simulator, the machine being shared with the client)
 * and its VmHWM and VmRSS are printed. Prints its figures; never fails on a slow machine.
 *
 *   bench-simulator [N [WINDOW [PHASES]]]
 *       N messages per phase (default 100000 or $BENCH_ROWS), WINDOW in
 *       flight (default 64), PHASES the phases in order, as letters
 *       (default "rtwc": raw, twilio, whatsapp, callbacks; "wwww" repeats
 *       one, to watch the memory)
 */

#define G_LOG_DOMAIN "bench-simulator"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "tc-soup.h"
#include "tc-twilio.h"
#include "tc-whatsapp-cloud.h"

#define ACCOUNT_SID "AC0123456789abcdef0123456789abcdef"
#define AUTH_TOKEN  "f7c2e9a1b4d3c6e8a0b9d2f1e3c4a5b6"
#define PHONE_ID    "106540352242922"

typedef enum
{
  PHASE_RAW,
  PHASE_TWILIO,
  PHASE_WHATSAPP,
  PHASE_CALLBACKS,
} Phase;

typedef struct
{
  Phase        phase;
  guint        n;
  guint        window;
  guint        started;
  guint        done;
  guint        in_flight;
  guint        refused;
  guint        failed;
  guint        callbacks;
  guint        finals;
  char        *base;
  char        *callback_url;
  SoupSession *session;
  TcProvider  *provider;
  GQueue       retry;     /* indices to send again */
  guint        retry_id;
} Run;

static void start_more (Run *run);

static gboolean
on_retry_cb (gpointer user_data)
{
  Run *run = user_data;

  run->retry_id = 0;
  start_more (run);

  return G_SOURCE_REMOVE;
}

static char *
recipient (guint i)
{
  return g_strdup_printf ("+1415%07u", i % 10000000);
}

static void
on_sent_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(TcSendFailure) failure = NULL;
  g_autoptr(TcSendReceipt) receipt = tc_provider_send_finish (TC_PROVIDER (object), result, &failure);

  run->in_flight--;
  if (receipt != NULL)
    run->done++;
  else if (failure->klass == TC_SEND_FAILURE_TRANSIENT && failure->http_status == 429)
    {
      /* The simulator's callback queue is full: wait a little. */
      run->refused++;
      g_queue_push_tail (&run->retry, GUINT_TO_POINTER (run->n));
      if (run->retry_id == 0)
        run->retry_id = g_timeout_add (20, on_retry_cb, run);
      return;
    }
  else
    {
      if (run->failed++ < 5)
        g_printerr ("send failed: %s\n", failure->meaning);
      run->done++;
    }
  start_more (run);
}

static void
on_raw_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);

  run->in_flight--;
  run->done++;
  if (body == NULL && run->failed++ < 5)
    g_printerr ("raw POST failed: %s\n", error->message);
  start_more (run);
}

static void
start_one (Run   *run,
           guint  i)
{
  g_autofree char *to = recipient (i);

  run->in_flight++;
  if (run->phase == PHASE_RAW)
    {
      g_autofree char *url = g_strconcat (run->base, "/2010-04-01/Accounts/" ACCOUNT_SID "/Messages.json", NULL);
      g_autofree char *escaped = g_uri_escape_string (to, NULL, FALSE);
      g_autofree char *form = g_strdup_printf ("To=%s&From=%%2B15005550006&Body=Hello+from+the+benchmark", escaped);
      g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
      gsize len = strlen (form);
      g_autoptr(GBytes) body = g_bytes_new_take (g_steal_pointer (&form), len);

      soup_message_add_flags (message, SOUP_MESSAGE_IDEMPOTENT);
      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                    "Basic QUMwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZjpmN2MyZTlhMWI0ZDNjNmU4YTBiOWQyZjFlM2M0YTViNg==");
      soup_message_set_request_body_from_bytes (message, SOUP_FORM_MIME_TYPE_URLENCODED, body);
      soup_session_send_and_read_async (run->session, message, G_PRIORITY_DEFAULT, NULL, on_raw_cb, run);
    }
  else
    {
      TcOutboundMessage message = {
        .channel = run->phase == PHASE_WHATSAPP ? TC_CHANNEL_WHATSAPP : TC_CHANNEL_SMS,
        .from = run->phase == PHASE_WHATSAPP ? PHONE_ID : "+15005550006",
        .to = to,
        .body = "Hello from the benchmark: your order ships today.",
        .status_callback = run->callback_url,
      };

      tc_provider_send_async (run->provider, &message, NULL, on_sent_cb, run);
    }
}

static void
start_more (Run *run)
{
  while (run->in_flight < run->window)
    {
      if (run->started < run->n)
        start_one (run, run->started++);
      else if (run->retry.length > 0 && run->retry_id == 0)
        {
          g_queue_pop_head (&run->retry);
          start_one (run, run->started + run->retry.length);
        }
      else
        break;
    }
}

static void
receiver_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  Run *run = user_data;
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_autoptr(GHashTable) form = soup_form_decode (text);
  const char *status = g_hash_table_lookup (form, "MessageStatus");

  run->callbacks++;
  if (g_strcmp0 (status, "sent") != 0)
    run->finals++;
  /* 200 with a body, not 204: libsoup 3.2 does not keep a connection
   * alive after a 204, so every callback would need a new one. */
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "ok", 2);
}

/* The simulator's CPU time so far (user + system), in seconds. */
static double
cpu_seconds (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *end;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (end = strrchr (stat, ')')) == NULL)
    return 0;
  /* After "pid (comm)": state is field 3, utime 14, stime 15. */
  fields = g_strsplit (end + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return 0;

  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) / sysconf (_SC_CLK_TCK);
}

static void
print_memory (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *status = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &status, NULL, NULL))
    return;
  lines = g_strsplit (status, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "VmHWM") || g_str_has_prefix (lines[i], "VmRSS"))
      g_print ("    simulator %s\n", lines[i]);

  /* Open descriptors: sockets left open would show here. */
  {
    g_autofree char *fds = g_strdup_printf ("/proc/%d/fd", (int) pid);
    g_autoptr(GDir) dir = g_dir_open (fds, 0, NULL);
    guint n = 0;

    while (dir != NULL && g_dir_read_name (dir) != NULL)
      n++;
    g_print ("    simulator open files: %u\n", n);
  }
}

static void
run_phase (const char *name,
           Phase       phase,
           const char *base,
           guint       n,
           guint       window,
           GPid        pid)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupServer) receiver = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };
  gint64 start, sent_at, end;
  double cpu_start, cpu;

  run.phase = phase;
  run.n = n;
  run.window = window;
  run.base = g_strdup (base);
  g_queue_init (&run.retry);

  if (phase == PHASE_RAW)
    session = soup_session_new_with_options ("max-conns", window, "max-conns-per-host", window, NULL);
  else
    session = tc_soup_session_new ();
  run.session = session;

  if (phase == PHASE_TWILIO || phase == PHASE_CALLBACKS)
    run.provider = TC_PROVIDER (tc_twilio_provider_new (session, base, ACCOUNT_SID, AUTH_TOKEN));
  else if (phase == PHASE_WHATSAPP)
    run.provider = TC_PROVIDER (tc_whatsapp_provider_new (session, base, NULL, PHONE_ID, "token", NULL, NULL));

  if (phase == PHASE_CALLBACKS)
    {
      GSList *uris;
      g_autofree char *root = NULL;

      receiver = soup_server_new (NULL, NULL);
      soup_server_add_handler (receiver, NULL, receiver_cb, &run, NULL);
      soup_server_listen_local (receiver, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
      g_assert_no_error (error);
      uris = soup_server_get_uris (receiver);
      root = g_uri_to_string (uris->data);
      g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
      run.callback_url = g_strconcat (root, "status", NULL);
    }

  cpu_start = cpu_seconds (pid);
  start = g_get_monotonic_time ();
  start_more (&run);
  while (run.done < run.n)
    g_main_context_iteration (NULL, TRUE);
  sent_at = g_get_monotonic_time ();
  if (phase == PHASE_CALLBACKS)
    while (run.finals < run.n - run.failed)
      g_main_context_iteration (NULL, TRUE);
  end = g_get_monotonic_time ();

  g_print ("%-10s %u messages, window %u: %.0f messages/s (%.2f s)", name, n, window,
           n / ((sent_at - start) / 1e6), (sent_at - start) / 1e6);
  if (phase == PHASE_CALLBACKS)
    g_print ("; all %u callbacks in %.2f s: %.0f messages/s end to end, %u answered 429 and resent",
             run.callbacks, (end - start) / 1e6, n / ((end - start) / 1e6), run.refused);
  if (run.failed > 0)
    g_print ("; %u failed", run.failed);
  cpu = cpu_seconds (pid) - cpu_start;
  g_print ("\n    simulator CPU %.2f s: %.0f us per message, %.0f messages per CPU second\n",
           cpu, cpu * 1e6 / n, cpu > 0 ? n / cpu : 0);
  print_memory (pid);

  g_clear_object (&run.provider);
  if (receiver != NULL)
    soup_server_disconnect (receiver);
  g_free (run.base);
  g_free (run.callback_url);
  g_queue_clear (&run.retry);
  g_clear_handle_id (&run.retry_id, g_source_remove);
}

int
main (int    argc,
      char **argv)
{
  const char *cli = g_getenv ("TEXTCAST_CLI");
  const char *rows = g_getenv ("BENCH_ROWS");
  guint n = argc > 1 ? (guint) atoi (argv[1]) : rows != NULL ? (guint) atoi (rows) : 100000;
  guint window = argc > 2 ? (guint) atoi (argv[2]) : 64;
  const char *phases = argc > 3 ? argv[3] : "rtwc";
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bench-simulator-XXXXXX", &error);
  g_autofree char *log = g_build_filename (dir, "log.jsonl", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *base = NULL;
  GPid pid;

  g_assert_no_error (error);
  if (cli == NULL)
    {
      g_printerr ("Set TEXTCAST_CLI to the textcast-cli program (meson test sets it)\n");
      return 0;
    }

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, cli, "simulator", "--listen",
                              "127.0.0.1:0", "--log", log, "--status-delay", "0", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  base = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (base);
  pid = (GPid) atoi (g_subprocess_get_identifier (process));
  g_print ("simulator at %s (pid %d), %u cores\n", base, (int) pid, g_get_num_processors ());

  for (const char *p = phases; *p != '\0'; p++)
    switch (*p)
      {
      case 'r': run_phase ("raw", PHASE_RAW, base, n, window, pid); break;
      case 't': run_phase ("twilio", PHASE_TWILIO, base, n, window, pid); break;
      case 'w': run_phase ("whatsapp", PHASE_WHATSAPP, base, n, window, pid); break;
      case 'c': run_phase ("callbacks", PHASE_CALLBACKS, base, n, window, pid); break;
      default: g_printerr ("unknown phase '%c' (r, t, w, c)\n", *p);
      }

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, NULL);
  g_remove (log);
  g_rmdir (dir);

  return 0;
}
