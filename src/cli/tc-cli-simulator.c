/* tc-cli-simulator.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `textcast-cli simulator`: the built-in simulator (src/net/tc-simulator.h)
 * on its own, for scripts, benchmarks and the crash test. It needs no
 * workspace. The first line on standard output is the base URL to point
 * the Twilio and WhatsApp providers at; it runs until SIGINT or SIGTERM
 * and then exits 0. Exit status otherwise as for the rest of textcast-cli:
 * 1 it could not start (the address is taken, the log cannot be opened),
 * 2 bad usage.
 *
 * The WhatsApp webhooks are signed with $TEXTCAST_WHATSAPP_APP_SECRET (or
 * "simulator"): a secret is never a command-line argument, which any
 * user of the machine could read. Twilio callbacks are signed with the
 * auth token each request came with.
 */

#define G_LOG_DOMAIN "textcast-cli"

#include "config.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib-unix.h>

#include "tc-cli-simulator.h"
#include "tc-cli.h"
#include "tc-simulator.h"

#define DEFAULT_LISTEN "127.0.0.1:8643"

static const char usage_text[] =
  "Usage: textcast-cli simulator [--listen ADDRESS:PORT] [--seed N] [--log FILE]\n"
  "                              [--max-rate N] [--webhook-url URL] [--inbound-url URL]\n"
  "                              [--reply-ratio R] [--status-delay MS]\n"
  "\n"
  "Run the built-in simulator of Twilio's and Meta's WhatsApp APIs until\n"
  "interrupted. It prints its base URL first: point the Twilio and WhatsApp\n"
  "providers' base URL at it; it accepts any well-formed credentials.\n"
  "\n"
  "Options:\n"
  "  --listen ADDRESS:PORT  where to listen (default " DEFAULT_LISTEN "; port 0\n"
  "                         picks a free one; [::1]:PORT for IPv6)\n"
  "  --seed N               seed of the outcomes, 0 to 4294967295 (default 0):\n"
  "                         the same seed and requests give the same outcomes\n"
  "  --log FILE             append one JSON line per accepted message\n"
  "  --max-rate N           messages per second accepted before answering 429\n"
  "                         (default 0: no limit)\n"
  "  --webhook-url URL      where WhatsApp statuses and replies are posted\n"
  "                         (signed with $TEXTCAST_WHATSAPP_APP_SECRET)\n"
  "  --inbound-url URL      where Twilio inbound replies are posted\n"
  "  --reply-ratio R        replies per delivered message, 0 to 1 (default 0.05)\n"
  "  --status-delay MS      milliseconds between status steps (default 200)\n";

static const TcCliOption option_specs[] = {
  { "listen", TRUE },
  { "seed", TRUE },
  { "log", TRUE },
  { "max-rate", TRUE },
  { "webhook-url", TRUE },
  { "inbound-url", TRUE },
  { "reply-ratio", TRUE },
  { "status-delay", TRUE },
  { NULL, FALSE },
};

static const char * const allowed_options[] = {
  "listen", "seed", "log", "max-rate", "webhook-url", "inbound-url", "reply-ratio", "status-delay", NULL,
};

/* "ADDRESS:PORT" or "[IPv6]:PORT". 0 or the usage status. */
static int
parse_listen (const char  *text,
              char       **address,
              guint       *port)
{
  g_autoptr(GInetAddress) inet_address = NULL;
  g_autofree char *host = NULL;
  const char *colon = strrchr (text, ':');
  guint64 value;

  if (colon == NULL || colon == text)
    return tc_cli_usage_error (usage_text, "option '--listen' needs ADDRESS:PORT (for example 127.0.0.1:8643), not '%s'",
                               text);
  if (text[0] == '[' && colon[-1] == ']')
    host = g_strndup (text + 1, colon - text - 2);
  else
    host = g_strndup (text, colon - text);

  inet_address = g_inet_address_new_from_string (host);
  if (inet_address == NULL)
    return tc_cli_usage_error (usage_text, "'%s' in '--listen %s' is not an IP address (for example 127.0.0.1)",
                               host, text);
  if (!g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &value, NULL))
    return tc_cli_usage_error (usage_text, "'%s' in '--listen %s' is not a port number from 0 to 65535",
                               colon + 1, text);

  *address = g_steal_pointer (&host);
  *port = (guint) value;

  return 0;
}

static int
parse_double (const char *name,
              const char *text,
              double      max,
              double     *out)
{
  char *end = NULL;
  double value;

  if (text == NULL)
    return 0;
  value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (value) || value < 0 || value > max)
    return tc_cli_usage_error (usage_text, "option '--%s' needs a number from 0 to %g, not '%s'", name, max, text);
  *out = value;

  return 0;
}

static int
check_url (const char *name,
           const char *text)
{
  const char *scheme;

  if (text == NULL)
    return 0;
  scheme = g_uri_peek_scheme (text);
  if ((g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0) ||
      !g_uri_is_valid (text, G_URI_FLAGS_NONE, NULL))
    return tc_cli_usage_error (usage_text, "option '--%s' needs an http or https URL, not '%s'", name, text);

  return 0;
}

static int
run (TcCliArgs *opts)
{
  g_autoptr(TcSimulator) simulator = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  const char *listen = tc_cli_args_get (opts, "listen");
  const char *seed = tc_cli_args_get (opts, "seed");
  const char *delay = tc_cli_args_get (opts, "status-delay");
  const char *log = tc_cli_args_get (opts, "log");
  TcSimulatorConfig config;
  guint port = 0;
  int status;

  if ((status = tc_cli_args_refuse (opts, option_specs, usage_text, "simulator", allowed_options)) != 0)
    return status;
  if (opts->args->len > 1)
    return tc_cli_usage_error (usage_text, "'simulator' got an unexpected argument '%s'",
                               (const char *) g_ptr_array_index (opts->args, 1));

  tc_simulator_config_init (&config);
  if ((status = parse_listen (listen != NULL ? listen : DEFAULT_LISTEN, &address, &port)) != 0 ||
      (status = parse_double ("max-rate", tc_cli_args_get (opts, "max-rate"), 1e9, &config.max_rate)) != 0 ||
      (status = parse_double ("reply-ratio", tc_cli_args_get (opts, "reply-ratio"), 1.0, &config.reply_ratio)) != 0 ||
      (status = check_url ("webhook-url", tc_cli_args_get (opts, "webhook-url"))) != 0 ||
      (status = check_url ("inbound-url", tc_cli_args_get (opts, "inbound-url"))) != 0)
    return status;
  if (seed != NULL)
    {
      guint64 value;

      if (!g_ascii_string_to_unsigned (seed, 10, 0, G_MAXUINT32, &value, NULL))
        return tc_cli_usage_error (usage_text, "option '--seed' needs a whole number from 0 to %u, not '%s'",
                                   G_MAXUINT32, seed);
      config.seed = (guint32) value;
    }
  if (delay != NULL)
    {
      guint64 value;

      if (!g_ascii_string_to_unsigned (delay, 10, 0, 3600 * 1000, &value, NULL))
        return tc_cli_usage_error (usage_text, "option '--status-delay' needs milliseconds from 0 to 3600000, not '%s'",
                                   delay);
      config.status_delay_ms = (guint) value;
    }
  if (log != NULL && log[0] == '\0')
    return tc_cli_usage_error (usage_text, "option '--log' needs a file name");

  config.log_path = log;
  config.whatsapp_webhook_url = tc_cli_args_get (opts, "webhook-url");
  config.twilio_inbound_url = tc_cli_args_get (opts, "inbound-url");
  config.whatsapp_app_secret = g_getenv ("TEXTCAST_WHATSAPP_APP_SECRET");

  simulator = tc_simulator_new (&config);
  if (!tc_simulator_listen (simulator, address, port, &error))
    return tc_cli_fail_with_error (NULL, error);

  g_print ("%s\n", tc_simulator_get_base_url (simulator));
  fflush (stdout);

  tc_cli_run_until_signal ();

  tc_simulator_stop (simulator);

  return EXIT_SUCCESS;
}

int
tc_cli_simulator_main (int    argc,
                       char **argv)
{
  TcCliArgs opts = { NULL, NULL, FALSE, FALSE };
  int status;

  /* Parsed, --help answered, an empty --db refused: or the exit status. */
  if ((status = tc_cli_args_start (&opts, option_specs, usage_text, argc, argv)) >= 0)
    goto out;

  status = run (&opts);

out:
  fflush (stdout);
  tc_cli_args_clear (&opts);

  return status;
}
