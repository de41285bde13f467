/* bench-render.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Renders a personalized SMS template for N contacts (default 1,000,000)
 * on one thread, and counts the segments of each rendered text with
 * tc_sms_count(), as a campaign's cost preview does:
 *
 *   bench-render [N]           (or BENCH_MESSAGES=…)
 *
 * One data object is reused: for each contact the first name (from a list
 * of names of varied lengths and scripts, some empty so that the fallback
 * is used) and the cart URL (which has the contact's number in it) are set
 * in place, the template is rendered into one reused GString, and the
 * segments are counted. The figure is messages per second for that whole
 * loop; the render alone and the count alone are timed too.
 */

#define G_LOG_DOMAIN "bench-render"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <json-glib/json-glib.h>

#include "tc-mustache.h"
#include "tc-sms.h"

#define DEFAULT_MESSAGES 1000000

static const char template_source[] =
  "Hi {{first_name|there}}, your cart at {{brand}} is waiting: {{cart_url}} "
  "Reply STOP to opt out";

/* Varied lengths; a few outside GSM-7 (so UCS-2), a few empty. */
static const char * const first_names[] = {
  "Ana", "Bo", "Christopher", "Dmitri", "Élodie", "Fatima", "", "Giovanni", "Hannah",
  "Isabella", "Jürgen", "Kwame", "Li", "María José", "Nikolai", "Olivia", "Priya", "Quentin",
  "Rosalind", "Søren", "Thandiwe", "Uma", "Valentina", "Wojciech", "Xavier", "Yusuf", "Zoë",
  "Łukasz", "Αλέξανδρος", "", "Mohammed", "Aleksandra-Katarzyna", "Jo", "Ngozi", "Siobhán",
  "Tomás", "Ümit", "Wei", "Yuki", "Zanele",
};

static double
now_seconds (void)
{
  return g_get_monotonic_time () / (double) G_USEC_PER_SEC;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcMustacheTemplate) tpl = NULL;
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GString) out = g_string_sized_new (256);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  const char *env = g_getenv ("BENCH_MESSAGES");
  JsonNode *first_name_node;
  JsonNode *cart_url_node;
  guint64 n = DEFAULT_MESSAGES;
  guint64 segments = 0, ucs2 = 0, bytes = 0;
  char url[64];
  double t0, t_full, t_render, t_count;

  if (argc > 1)
    n = g_ascii_strtoull (argv[1], NULL, 10);
  else if (env != NULL)
    n = g_ascii_strtoull (env, NULL, 10);
  if (n == 0)
    {
      g_printerr ("usage: bench-render [MESSAGES]\n");
      return EXIT_FAILURE;
    }

  tpl = tc_mustache_parse (template_source, -1, &error);
  g_assert_no_error (error);

  json_object_set_string_member (object, "first_name", "");
  json_object_set_string_member (object, "brand", "Acme Outdoor");
  json_object_set_string_member (object, "cart_url", "");
  json_node_set_object (root, object);
  first_name_node = json_object_get_member (object, "first_name");
  cart_url_node = json_object_get_member (object, "cart_url");

  /* 1. The whole per-contact loop: set the values, render, count. */
  t0 = now_seconds ();
  for (guint64 i = 0; i < n; i++)
    {
      TcSmsCount count;

      json_node_set_string (first_name_node, first_names[i % G_N_ELEMENTS (first_names)]);
      g_snprintf (url, sizeof url, "https://acme.example/c/%" G_GUINT64_FORMAT, 100000 + i);
      json_node_set_string (cart_url_node, url);

      g_string_truncate (out, 0);
      if (!tc_mustache_render_to (tpl, root, NULL, TC_MUSTACHE_ESCAPE_NONE, out, NULL, &error))
        g_error ("render: %s", error->message);
      tc_sms_count (out->str, out->len, &count);

      segments += count.segments;
      ucs2 += count.encoding == TC_SMS_ENCODING_UCS2;
      bytes += out->len;
    }
  t_full = now_seconds () - t0;

  /* 2. The render alone, over the same names (cart URL fixed). */
  for (guint i = 0; i < G_N_ELEMENTS (first_names); i++)
    {
      json_node_set_string (first_name_node, first_names[i]);
      g_string_truncate (out, 0);
      tc_mustache_render_to (tpl, root, NULL, TC_MUSTACHE_ESCAPE_NONE, out, NULL, NULL);
      g_ptr_array_add (texts, g_strndup (out->str, out->len));
    }
  t0 = now_seconds ();
  for (guint64 i = 0; i < n; i++)
    {
      if (i % 64 == 0)
        json_node_set_string (first_name_node, first_names[(i / 64) % G_N_ELEMENTS (first_names)]);
      g_string_truncate (out, 0);
      tc_mustache_render_to (tpl, root, NULL, TC_MUSTACHE_ESCAPE_NONE, out, NULL, NULL);
    }
  t_render = now_seconds () - t0;

  /* 3. The segment count alone, over the rendered texts. */
  t0 = now_seconds ();
  {
    guint64 check = 0;

    for (guint64 i = 0; i < n; i++)
      {
        const char *text = g_ptr_array_index (texts, i % texts->len);
        TcSmsCount count;

        tc_sms_count (text, -1, &count);
        check += count.units;
      }
    if (check == 0)
      g_error ("no units counted");
  }
  t_count = now_seconds () - t0;

  g_print ("template: %s\n", template_source);
  g_print ("messages: %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT " UCS-2), "
           "%" G_GUINT64_FORMAT " segments, %.1f bytes on average\n",
           n, ucs2, segments, (double) bytes / n);
  g_print ("render + count (one core): %.3f s, %.0f messages/s\n", t_full, n / t_full);
  g_print ("render only: %.3f s, %.0f renders/s\n", t_render, n / t_render);
  g_print ("tc_sms_count only: %.3f s, %.0f counts/s\n", t_count, n / t_count);

  return EXIT_SUCCESS;
}
