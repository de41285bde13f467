/* tc-cli-template.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `textcast-cli template render`: a Mustache template on standard input,
 * rendered against --data, written to standard output byte for byte.
 *
 * The default escaping is html, the Mustache specification's own default
 * for `{{name}}`: the command doubles as the way to check the engine
 * against the specification and other Mustache tools, which all give that
 * output. Text for SMS and WhatsApp is rendered with `--escape none`
 * (which is what the app uses for those channels).
 */

#define G_LOG_DOMAIN "textcast-cli"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "tc-cli-template.h"
#include "tc-cli.h"
#include "tc-mustache.h"

#define EXIT_USAGE 2

static const char template_usage_text[] =
  "Usage: textcast-cli template render --data JSON [--partials JSON] [--escape html|none]\n"
  "\n"
  "  Renders the Mustache template read from standard input against the JSON\n"
  "  data and writes the result to standard output exactly (no newline added).\n"
  "  {{name|fallback}} prints the fallback when name is missing, null or empty.\n"
  "\n"
  "Options:\n"
  "  --data JSON        the data the template sees (usually an object)\n"
  "  --partials JSON    an object of partial name → template, for {{>name}}\n"
  "  --escape html|none how {{name}} escapes values: html (the default, as in\n"
  "                     the Mustache specification) or none (SMS, WhatsApp)\n"
  "  --help             show this text\n"
  "\n"
  "Missing variables (no value and no fallback) are listed on standard error,\n"
  "e.g. \"textcast-cli: missing variables: first_name, >footer\"; they do not\n"
  "change the exit status.\n"
  "\n"
  "Exit status: 0 success; 1 bad JSON, a template error; 2 bad usage.\n";

/* Options that take a value, so that the value is not taken for a word. */
static const char * const value_options[] = { "--db", "--data", "--partials", "--escape" };

static gboolean
takes_value (const char *arg)
{
  for (guint i = 0; i < G_N_ELEMENTS (value_options); i++)
    if (strcmp (arg, value_options[i]) == 0)
      return TRUE;

  return FALSE;
}

static JsonNode *
parse_option_json (const char  *option,
                   const char  *json,
                   int         *status)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, json, -1, &error))
    {
      *status = tc_cli_fail ("%s: %s", option, error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      *status = tc_cli_fail ("%s: no JSON value given", option);
      return NULL;
    }

  return json_node_copy (root);
}

static int
render (const char       *data_json,
        const char       *partials_json,
        TcMustacheEscape  escape)
{
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(JsonNode) partials_root = NULL;
  g_autoptr(TcMustachePartials) partials = NULL;
  g_autoptr(TcMustacheTemplate) tpl = NULL;
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GBytes) input = NULL;
  g_autoptr(GError) error = NULL;
  int status = EXIT_SUCCESS;
  gsize len;
  const char *source;

  data = parse_option_json ("--data", data_json, &status);
  if (data == NULL)
    return status;

  if (partials_json != NULL)
    {
      partials_root = parse_option_json ("--partials", partials_json, &status);
      if (partials_root == NULL)
        return status;
      if (!JSON_NODE_HOLDS_OBJECT (partials_root))
        return tc_cli_fail ("--partials: expected a JSON object of partial name → template");
      partials = tc_mustache_partials_new (json_node_get_object (partials_root));
    }

  input = tc_cli_read_stdin (0, &error);
  if (input == NULL)
    return tc_cli_fail ("%s", error->message);

  source = g_bytes_get_data (input, &len);
  tpl = tc_mustache_parse (source != NULL ? source : "", len, &error);
  if (tpl == NULL)
    return tc_cli_fail ("template: %s", error->message);

  if (!tc_mustache_render_to (tpl, data, partials, escape, out, missing, &error))
    return tc_cli_fail ("%s", error->message);

  if (fwrite (out->str, 1, out->len, stdout) != out->len || fflush (stdout) != 0)
    return tc_cli_fail ("cannot write standard output");

  if (missing->len > 0)
    {
      g_autofree char *names = NULL;

      g_ptr_array_add (missing, NULL);
      names = g_strjoinv (", ", (char **) missing->pdata);
      g_printerr ("textcast-cli: missing variables: %s\n", names);
    }

  return EXIT_SUCCESS;
}

/**
 * tc_cli_template_main:
 *
 * Runs a `template` command; @argv is the whole command line.
 *
 * Returns: the exit status
 */
int
tc_cli_template_main (int    argc,
                      char **argv)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new ();
  const char *data_json = NULL;
  const char *partials_json = NULL;
  const char *escape_name = NULL;
  TcMustacheEscape escape = TC_MUSTACHE_ESCAPE_HTML;
  gboolean only_args = FALSE;

  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];
      g_autofree char *name = NULL;
      const char *value = NULL;
      const char *eq;

      if (only_args || arg[0] != '-' || strcmp (arg, "-") == 0)
        {
          g_ptr_array_add (words, (gpointer) arg);
          continue;
        }
      if (strcmp (arg, "--") == 0)
        {
          only_args = TRUE;
          continue;
        }
      if (strcmp (arg, "--help") == 0 || strcmp (arg, "-h") == 0)
        {
          fputs (template_usage_text, stdout);
          return EXIT_SUCCESS;
        }

      eq = strchr (arg, '=');
      name = eq != NULL ? g_strndup (arg, eq - arg) : g_strdup (arg);
      if (!takes_value (name))
        return tc_cli_usage_error (template_usage_text, "unknown option '%s' for 'template render'", name);
      if (eq != NULL)
        value = eq + 1;
      else if (i + 1 < argc)
        value = argv[++i];
      else
        return tc_cli_usage_error (template_usage_text, "option '%s' needs a value", name);

      if (strcmp (name, "--data") == 0)
        data_json = value;
      else if (strcmp (name, "--partials") == 0)
        partials_json = value;
      else if (strcmp (name, "--escape") == 0)
        escape_name = value;
      /* --db: the workspace is not used to render. */
    }

  /* words[0] is "template": main() dispatched on it. */
  if (words->len < 2)
    return tc_cli_usage_error (template_usage_text, "'template' needs a command");
  if (strcmp (g_ptr_array_index (words, 1), "render") != 0)
    return tc_cli_usage_error (template_usage_text, "unknown command 'template %s'",
                        (const char *) g_ptr_array_index (words, 1));
  if (words->len > 2)
    return tc_cli_usage_error (template_usage_text, "'template render' got an unexpected argument '%s'",
                        (const char *) g_ptr_array_index (words, 2));
  if (escape_name != NULL && !tc_mustache_escape_from_string (escape_name, &escape))
    return tc_cli_usage_error (template_usage_text, "option '--escape' is html or none, not '%s'", escape_name);
  if (data_json == NULL)
    return tc_cli_usage_error (template_usage_text, "'template render' needs --data JSON");

  return render (data_json, partials_json, escape);
}
