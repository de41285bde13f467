/* test-cli-message.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the real `textcast-cli message inspect` (path in $TEXTCAST_CLI) with
 * messages on standard input and checks its exact output and exit status.
 */

#define G_LOG_DOMAIN "test-cli-message"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

typedef struct
{
  int   status;
  char *out;
  char *err;
} CliResult;

static void
cli_result_clear (CliResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

/* The output as a string; empty output gives "" (GBytes holds NULL). */
static char *
bytes_to_string (GBytes *bytes)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  return size > 0 ? g_strndup (data, size) : g_strdup ("");
}

/* Runs textcast-cli with @args (NULL-terminated) and @input (@len bytes)
 * on standard input. */
static void
run_cli (const char * const *args,
         const char         *input,
         gsize               len,
         CliResult          *result)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GBytes) stdin_bytes = g_bytes_new (input, len);
  g_autoptr(GBytes) stdout_bytes = NULL;
  g_autoptr(GBytes) stderr_bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("TEXTCAST_CLI");

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE |
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate (process, stdin_bytes, NULL, &stdout_bytes, &stderr_bytes, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));

  result->status = g_subprocess_get_exit_status (process);
  result->out = bytes_to_string (stdout_bytes);
  result->err = bytes_to_string (stderr_bytes);
}

static const char * const inspect_args[] = { "message", "inspect", NULL };
static const char * const jsonl_args[] = { "message", "inspect", "--jsonl", NULL };

static void
test_inspect (void)
{
  static const struct { const char *input; gssize len; const char *expected; } cases[] = {
    { "Hello", -1,
      "{\"encoding\":\"GSM-7\",\"segments\":1,\"units\":5,\"per_segment_units\":[5],\"non_gsm\":[]}\n" },
    /* Exactly the bytes: the final newline is a septet, nothing is trimmed. */
    { " Hi {you}\r\n", -1,
      "{\"encoding\":\"GSM-7\",\"segments\":1,\"units\":13,\"per_segment_units\":[13],\"non_gsm\":[]}\n" },
    { "", 0,
      "{\"encoding\":\"GSM-7\",\"segments\":0,\"units\":0,\"per_segment_units\":[],\"non_gsm\":[]}\n" },
    { "It’s 😀 “great” 😀", -1,
      "{\"encoding\":\"UCS-2\",\"segments\":1,\"units\":18,\"per_segment_units\":[18],"
      "\"non_gsm\":[\"’\",\"😀\",\"“\",\"”\"]}\n" },
    { "Bonjour 🇫🇷 \"ok\"\\", -1,
      "{\"encoding\":\"UCS-2\",\"segments\":1,\"units\":18,\"per_segment_units\":[18],"
      "\"non_gsm\":[\"🇫🇷\"]}\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CliResult result = { 0 };
      gsize len = cases[i].len < 0 ? strlen (cases[i].input) : (gsize) cases[i].len;

      run_cli (inspect_args, cases[i].input, len, &result);
      g_assert_cmpstr (result.err, ==, "");
      g_assert_cmpint (result.status, ==, 0);
      g_assert_cmpstr (result.out, ==, cases[i].expected);
      cli_result_clear (&result);
    }
}

/* `--db FILE` is accepted before or after the command, as by every
 * command, even though a message needs no workspace. */
static void
test_db_option (void)
{
  static const char * const before[] = { "--db", "/nonexistent/t.db", "message", "inspect", NULL };
  static const char * const after[] = { "message", "inspect", "--db", "/nonexistent/t.db", NULL };
  const char * const *variants[] = { before, after };

  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      CliResult result = { 0 };

      run_cli (variants[i], "Hi", 2, &result);
      g_assert_cmpstr (result.err, ==, "");
      g_assert_cmpint (result.status, ==, 0);
      g_assert_cmpstr (result.out, ==,
                       "{\"encoding\":\"GSM-7\",\"segments\":1,\"units\":2,"
                       "\"per_segment_units\":[2],\"non_gsm\":[]}\n");
      cli_result_clear (&result);
    }
}

static void
test_inspect_segments (void)
{
  g_autoptr(GString) input = g_string_new (NULL);
  CliResult result = { 0 };

  /* An escape pair is never split: 152 + 2 does not fit 153. */
  for (guint i = 0; i < 152; i++)
    g_string_append_c (input, 'a');
  g_string_append (input, "€");
  for (guint i = 0; i < 10; i++)
    g_string_append_c (input, 'b');

  run_cli (inspect_args, input->str, input->len, &result);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.out, ==,
                   "{\"encoding\":\"GSM-7\",\"segments\":2,\"units\":164,"
                   "\"per_segment_units\":[152,12],\"non_gsm\":[]}\n");
  cli_result_clear (&result);
}

static void
test_inspect_invalid_utf8 (void)
{
  CliResult result = { 0 };

  run_cli (inspect_args, "ok\xff", 3, &result);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_cmpstr (result.out, ==, "");
  g_assert_nonnull (strstr (result.err, "not valid UTF-8"));
  g_assert_nonnull (strstr (result.err, "byte 2"));
  cli_result_clear (&result);

  run_cli (inspect_args, "a\0b", 3, &result);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, "not valid UTF-8"));
  cli_result_clear (&result);
}

static void
test_jsonl (void)
{
  static const char input[] =
    "\"Hello\"\n"
    "\"\"\n"
    "  \"caf\\u00e9 \\u2019\\ud83d\\ude00\"  \r\n"
    "\"line\\nbreak\"";   /* the last line has no newline */
  static const char expected[] =
    "{\"encoding\":\"GSM-7\",\"segments\":1,\"units\":5,\"per_segment_units\":[5],\"non_gsm\":[]}\n"
    "{\"encoding\":\"GSM-7\",\"segments\":0,\"units\":0,\"per_segment_units\":[],\"non_gsm\":[]}\n"
    "{\"encoding\":\"UCS-2\",\"segments\":1,\"units\":8,\"per_segment_units\":[8],"
    "\"non_gsm\":[\"’\",\"😀\"]}\n"
    "{\"encoding\":\"GSM-7\",\"segments\":1,\"units\":10,\"per_segment_units\":[10],\"non_gsm\":[]}\n";
  CliResult result = { 0 };

  run_cli (jsonl_args, input, strlen (input), &result);
  g_assert_cmpstr (result.err, ==, "");
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.out, ==, expected);
  cli_result_clear (&result);

  /* No input, no output. */
  run_cli (jsonl_args, "", 0, &result);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.out, ==, "");
  cli_result_clear (&result);
}

static void
test_jsonl_bad_line (void)
{
  static const struct { const char *input; const char *line; guint n_answered; } cases[] = {
    { "\"ok\"\n42\n\"never\"\n", "line 2:", 1 },
    { "\"ok\"\n\"ok\"\n[\"a\"]\n", "line 3:", 2 },
    { "\"ok\"\n\n", "line 2:", 1 },
    { "{\"a\":1}\n", "line 1:", 0 },
    { "\"unterminated\n", "line 1:", 0 },
    { "\"a\" \"b\"\n", "line 1:", 0 },
    { "null\n", "line 1:", 0 },
    { "\"ok\"\n\"\xff\"\n", "line 2:", 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CliResult result = { 0 };
      guint n_lines = 0;

      run_cli (jsonl_args, cases[i].input, strlen (cases[i].input), &result);
      g_assert_cmpint (result.status, ==, 1);
      g_assert_nonnull (strstr (result.err, cases[i].line));
      for (const char *p = result.out; *p != '\0'; p++)
        if (*p == '\n')
          n_lines++;
      g_assert_cmpuint (n_lines, ==, cases[i].n_answered);
      cli_result_clear (&result);
    }
}

static void
test_usage (void)
{
  static const char * const bad[][5] = {
    { "message", NULL },
    { "message", "frobnicate", NULL },
    { "message", "inspect", "extra", NULL },
    { "message", "inspect", "--json", NULL },
    { "message", "--jsonl", "--region", "GB", NULL },
  };
  static const char * const help[] = { "message", "--help", NULL };
  CliResult result = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      run_cli (bad[i], "x", 1, &result);
      g_assert_cmpint (result.status, ==, 2);
      g_assert_cmpstr (result.out, ==, "");
      g_assert_nonnull (strstr (result.err, "Usage: textcast-cli message inspect"));
      cli_result_clear (&result);
    }

  run_cli (help, "", 0, &result);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_true (g_str_has_prefix (result.out, "Usage: textcast-cli message inspect"));
  cli_result_clear (&result);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tc/cli/message/inspect", test_inspect);
  g_test_add_func ("/tc/cli/message/inspect-segments", test_inspect_segments);
  g_test_add_func ("/tc/cli/message/inspect-invalid-utf8", test_inspect_invalid_utf8);
  g_test_add_func ("/tc/cli/message/jsonl", test_jsonl);
  g_test_add_func ("/tc/cli/message/jsonl-bad-line", test_jsonl_bad_line);
  g_test_add_func ("/tc/cli/message/usage", test_usage);
  g_test_add_func ("/tc/cli/message/db-option", test_db_option);

  return g_test_run ();
}
