/* tc-cli-message.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `textcast-cli message inspect [--jsonl]`: how a message is sent as SMS.
 *
 * The message is read from standard input, byte for byte (nothing is
 * trimmed: a final newline is part of the message and costs a septet).
 * With --jsonl each input line is one JSON string and gets one result
 * line, in order. Each result is one line of JSON:
 *
 *   {"encoding":"GSM-7","segments":1,"units":5,"per_segment_units":[5],"non_gsm":[]}
 *
 * Exit status: 0 success; 1 input that is not valid UTF-8, or (--jsonl) a
 * line that is not a JSON string, named by its number (the lines before it
 * have been answered); 2 bad usage.
 */

#define G_LOG_DOMAIN "textcast-cli"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <json-glib/json-glib.h>

#include "tc-cli-message.h"
#include "tc-cli.h"
#include "tc-sms.h"

#define EXIT_USAGE 2

static const char message_usage_text[] =
  "Usage: textcast-cli message inspect [--jsonl]\n"
  "\n"
  "Reads a message on standard input (exactly its bytes, UTF-8) and prints\n"
  "how it is sent as SMS, as one line of JSON:\n"
  "  {\"encoding\":\"GSM-7\"|\"UCS-2\",\"segments\":N,\"units\":N,\n"
  "   \"per_segment_units\":[…],\"non_gsm\":[…]}\n"
  "units are septets for GSM-7 and UTF-16 code units for UCS-2; non_gsm\n"
  "lists the characters that forced UCS-2, once each, in order.\n"
  "\n"
  "Options:\n"
  "  --jsonl   each input line is a JSON string: one result line per line\n"
  "  --help    show this text\n"
  "\n"
  "Exit status: 0 success; 1 input that is not valid UTF-8 or (--jsonl) a\n"
  "line that is not a JSON string; 2 bad usage.\n";

/* One line of JSON, keys in the documented order. */
static char *
info_to_json (const TcSmsInfo *info)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "encoding");
  json_builder_add_string_value (builder, tc_sms_encoding_to_string (info->encoding));
  json_builder_set_member_name (builder, "segments");
  json_builder_add_int_value (builder, info->segments);
  json_builder_set_member_name (builder, "units");
  json_builder_add_int_value (builder, info->units);
  json_builder_set_member_name (builder, "per_segment_units");
  json_builder_begin_array (builder);
  for (guint i = 0; i < info->per_segment_units->len; i++)
    json_builder_add_int_value (builder, g_array_index (info->per_segment_units, guint, i));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "non_gsm");
  json_builder_begin_array (builder);
  for (guint i = 0; i < info->non_gsm->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (info->non_gsm, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

/* Prints the result for @text, or returns FALSE when it is not UTF-8. */
static gboolean
print_inspection (const char *text,
                  gsize       len)
{
  g_autoptr(TcSmsInfo) info = tc_sms_inspect (text, (gssize) len);
  g_autofree char *json = NULL;

  if (info == NULL)
    return FALSE;

  json = info_to_json (info);
  fputs (json, stdout);
  fputc ('\n', stdout);

  return TRUE;
}

static int
inspect_whole (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = tc_cli_read_stdin (0, &error);
  const char *data;
  const char *bad;
  gsize len;

  if (bytes == NULL)
    return tc_cli_fail ("cannot read standard input: %s", error->message);

  data = g_bytes_get_data (bytes, &len);
  if (!g_utf8_validate_len (data, len, &bad))
    return tc_cli_fail ("the message is not valid UTF-8 (at byte %" G_GSIZE_FORMAT ")",
                 (gsize) (bad - data));

  print_inspection (data, len);

  return EXIT_SUCCESS;
}

static int
inspect_lines (void)
{
  g_autoptr(GInputStream) input = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  g_autoptr(GDataInputStream) lines = g_data_input_stream_new (input);
  g_autoptr(JsonParser) parser = json_parser_new ();
  guint64 line_number = 0;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *line = NULL;
      JsonNode *root;
      gsize len;

      line = g_data_input_stream_read_line (lines, &len, NULL, &error);
      if (error != NULL)
        return tc_cli_fail ("cannot read standard input: %s", error->message);
      if (line == NULL)
        break;
      line_number++;

      if (!g_utf8_validate_len (line, len, NULL))
        return tc_cli_fail ("line %" G_GUINT64_FORMAT ": not valid UTF-8", line_number);

      if (!json_parser_load_from_data (parser, line, (gssize) len, &error))
        return tc_cli_fail ("line %" G_GUINT64_FORMAT ": not a JSON string: %s",
                     line_number, error->message);

      root = json_parser_get_root (parser);
      if (root == NULL || !JSON_NODE_HOLDS_VALUE (root) ||
          json_node_get_value_type (root) != G_TYPE_STRING)
        return tc_cli_fail ("line %" G_GUINT64_FORMAT ": not a JSON string", line_number);

      if (!print_inspection (json_node_get_string (root), strlen (json_node_get_string (root))))
        return tc_cli_fail ("line %" G_GUINT64_FORMAT ": the string is not valid UTF-8", line_number);
    }

  return EXIT_SUCCESS;
}

/**
 * tc_cli_message_main:
 * @argc: number of words in @argv
 * @argv: the command line from the word `message` on
 *
 * Runs a `message` command.
 *
 * Returns: the exit status
 */
int
tc_cli_message_main (int    argc,
                     char **argv)
{
  gboolean jsonl = FALSE;
  gboolean only_args = FALSE;
  g_autoptr(GPtrArray) words = g_ptr_array_new ();
  int status;

  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];

      if (only_args || arg[0] != '-')
        g_ptr_array_add (words, (gpointer) arg);
      else if (strcmp (arg, "--") == 0)
        only_args = TRUE;
      else if (strcmp (arg, "--jsonl") == 0)
        jsonl = TRUE;
      else if (strcmp (arg, "--db") == 0 && i + 1 < argc)
        i++;  /* Accepted as by every command; a message needs no workspace. */
      else if (g_str_has_prefix (arg, "--db="))
        ;
      else if (strcmp (arg, "--help") == 0 || strcmp (arg, "-h") == 0)
        {
          fputs (message_usage_text, stdout);
          return EXIT_SUCCESS;
        }
      else
        return tc_cli_usage_error (message_usage_text, "unknown option '%s' for 'message'", arg);
    }

  /* words[0] is "message" itself. */
  if (words->len < 2)
    return tc_cli_usage_error (message_usage_text, "'message' needs a command");
  if (strcmp (g_ptr_array_index (words, 1), "inspect") != 0)
    return tc_cli_usage_error (message_usage_text, "unknown command 'message %s'",
                               (const char *) g_ptr_array_index (words, 1));
  if (words->len > 2)
    return tc_cli_usage_error (message_usage_text,
                               "'message inspect' got an unexpected argument '%s'",
                               (const char *) g_ptr_array_index (words, 2));

  status = jsonl ? inspect_lines () : inspect_whole ();

  if (fflush (stdout) != 0 || ferror (stdout))
    return status == EXIT_SUCCESS ? tc_cli_fail ("cannot write standard output") : status;

  return status;
}
