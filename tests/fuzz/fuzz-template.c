/* fuzz-template.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the Mustache engine: outside bytes are parsed as a
 * template, listed, and rendered with both escapings against a small fixed
 * data object and two partials, one of which is the input itself (so
 * `{{>self}}` recurses into it). Every render must end: the engine's depth,
 * step and 1 MiB output limits turn runaway templates into errors.
 */

#define G_LOG_DOMAIN "fuzz-template"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "tc-mustache.h"

static const char data_json[] =
  "{\"first_name\":\"Ana\",\"last_name\":null,\"brand\":\"A&B <Shop>\",\"n\":3,\"x\":1.5,"
  "\"vip\":true,\"off\":false,\"empty\":\"\",\"tags\":[\"vip\",\"new\"],"
  "\"event\":{\"cart_url\":\"https://s.example/c?a=1&b=2\","
  "\"items\":[{\"name\":\"Shoes\",\"qty\":1},{\"name\":\"Hat\",\"qty\":2}]},"
  "\"tree\":{\"name\":\"root\",\"kids\":[{\"name\":\"a\",\"kids\":[]}]}}";

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static JsonNode *root = NULL;
  g_autoptr(TcMustacheTemplate) tpl = NULL;
  g_autoptr(TcMustachePartials) partials = NULL;
  g_autoptr(GPtrArray) missing = NULL;
  g_autoptr(GString) out = NULL;
  g_auto(GStrv) variables = NULL;
  g_auto(GStrv) partial_names = NULL;
  g_autofree char *self_source = NULL;
  GError *error = NULL;
  guint line = 0, column = 0;

  if (root == NULL)
    root = json_from_string (data_json, NULL);

  tpl = tc_mustache_parse_full ((const char *) data, size, &line, &column, &error);
  if (tpl == NULL)
    {
      g_assert (error != NULL && error->domain == TC_MUSTACHE_ERROR);
      g_assert (line >= 1 && column >= 1);
      g_assert (g_str_has_prefix (error->message, "line "));
      g_clear_error (&error);
      return 0;
    }

  variables = tc_mustache_template_dup_variables (tpl);
  partial_names = tc_mustache_template_dup_partials (tpl);
  g_assert (variables != NULL && partial_names != NULL);

  /* A valid template has no NUL byte, so it can be a partial as a string. */
  self_source = g_strndup ((const char *) data, size);
  g_assert (strlen (self_source) == size);
  partials = tc_mustache_partials_new (NULL);
  tc_mustache_partials_add (partials, "p", "<{{first_name|there}}>\n{{#tags}}- {{.}}\n{{/tags}}");
  tc_mustache_partials_add (partials, "node", "{{name}}({{#kids}}{{>node}}{{/kids}})");
  tc_mustache_partials_add (partials, "self", self_source);

  missing = g_ptr_array_new_with_free_func (g_free);
  out = g_string_new (NULL);
  for (guint i = 0; i < 2; i++)
    {
      TcMustacheEscape escape = i == 0 ? TC_MUSTACHE_ESCAPE_HTML : TC_MUSTACHE_ESCAPE_NONE;

      g_string_truncate (out, 0);
      if (tc_mustache_render_to (tpl, root, partials, escape, out, missing, &error))
        {
          g_assert (out->len <= TC_MUSTACHE_MAX_OUTPUT);
          g_assert (g_utf8_validate_len (out->str, out->len, NULL));
        }
      else
        {
          g_assert (error != NULL && error->domain == TC_MUSTACHE_ERROR);
          g_clear_error (&error);
        }
    }

  for (guint i = 0; i < missing->len; i++)
    for (guint k = i + 1; k < missing->len; k++)
      g_assert (strcmp (g_ptr_array_index (missing, i), g_ptr_array_index (missing, k)) != 0);

  return 0;
}
