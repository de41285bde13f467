/* test-links.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Links (finding, UTM tagging, short links and their length) and the
 * opt-out text.
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "tc-links.h"
#include "tc-optout.h"
#include "tc-sms.h"

#define UTM_SMS "utm_source=sms&utm_medium=sms&utm_campaign=spring-sale&utm_content=b"

static const TcUtmParams sms_utm = { "sms", "sms", "spring-sale", "b" };

static char *
join_links (const char *text)
{
  g_autoptr(GArray) spans = tc_links_find (text);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < spans->len; i++)
    {
      const TcLinkSpan *span = &g_array_index (spans, TcLinkSpan, i);

      g_ptr_array_add (parts, g_strndup (text + span->start, span->end - span->start));
    }
  g_ptr_array_add (parts, NULL);

  return g_strjoinv ("|", (char **) parts->pdata);
}

static void
test_find (void)
{
  static const struct
  {
    const char *text;
    const char *links;
  } cases[] = {
    { "Shop now: https://shop.example/sale.", "https://shop.example/sale" },
    { "Shop now: https://shop.example/sale", "https://shop.example/sale" },
    { "Deals (https://shop.example/a) today", "https://shop.example/a" },
    { "See (https://wiki.example/a_(b)) now", "https://wiki.example/a_(b)" },
    { "Wow https://shop.example/path)!", "https://shop.example/path" },
    { "Go to www.shop.example!", "www.shop.example" },
    { "Two: http://a.example, HTTPS://B.example/x?y=1;", "http://a.example|HTTPS://B.example/x?y=1" },
    { "Ends with a question https://a.example/faq?", "https://a.example/faq" },
    { "Mail me@www.shop.example", "" },
    { "Not a link: https:// alone", "" },
    { "Nor www. alone", "" },
    { "xhttps://a.example is glued", "" },
    { "Cart: https://shop.example/cart/{{cart_id}}.", "https://shop.example/cart/{{cart_id}}" },
    { "Cart https://shop.example/c?id={{ cart.id }}&x=1 ok", "https://shop.example/c?id={{ cart.id }}&x=1" },
    { "Raw https://a.example/{{{raw}}}!", "https://a.example/{{{raw}}}" },
    { "Section https://a.example/{{#vip}}v{{/vip}}/x", "https://a.example/{{#vip}}v{{/vip}}/x" },
    { "Only a variable: {{event.cart_url}}", "" },
    { "IDN https://例え.jp/パス…", "https://例え.jp/パス" },
    { "« https://fr.example/été »", "https://fr.example/été" },
    { "«https://fr.example/été»", "https://fr.example/été" },
    { "Port https://shop.example:8443/a#top!", "https://shop.example:8443/a#top" },
    { "Quote \"https://a.example/q\" done", "https://a.example/q" },
    { "Lines\nhttps://a.example/x\nnext", "https://a.example/x" },
    { "Bold *https://a.example/b*", "https://a.example/b" },
    { "Percent https://a.example/%E2%82%AC?q=a%20b.", "https://a.example/%E2%82%AC?q=a%20b" },
    { "IPv6 http://[::1]:8080/x, ok", "http://[::1]:8080/x" },
    { "Angle <https://a.example/x>", "https://a.example/x" },
    { "Tab\thttps://a.example/x\tnext", "https://a.example/x" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *links = join_links (cases[i].text);

      g_test_message ("case %u: %s", i, cases[i].text);
      g_assert_cmpstr (links, ==, cases[i].links);
    }
}

static void
test_utm (void)
{
  static const struct
  {
    const char *url;
    const char *expected;
  } cases[] = {
    { "https://shop.example/sale", "https://shop.example/sale?" UTM_SMS },
    { "https://shop.example", "https://shop.example/?" UTM_SMS },
    { "https://shop.example/s?q=red%20shoes&size=42",
      "https://shop.example/s?q=red%20shoes&size=42&" UTM_SMS },
    { "https://shop.example/s#reviews", "https://shop.example/s?" UTM_SMS "#reviews" },
    { "https://shop.example#top", "https://shop.example/?" UTM_SMS "#top" },
    { "https://shop.example/s?a=1#frag?x=2", "https://shop.example/s?a=1&" UTM_SMS "#frag?x=2" },
    { "https://shop.example/s?utm_source=newsletter&b=2",
      "https://shop.example/s?utm_source=newsletter&b=2"
      "&utm_medium=sms&utm_campaign=spring-sale&utm_content=b" },
    { "https://shop.example/s?UTM_Campaign=mine",
      "https://shop.example/s?UTM_Campaign=mine&utm_source=sms&utm_medium=sms&utm_content=b" },
    { "https://shop.example/s?utm%5Fcontent=x",
      "https://shop.example/s?utm%5Fcontent=x&utm_source=sms&utm_medium=sms&utm_campaign=spring-sale" },
    { "https://shop.example/s?utm_source=a&utm_medium=b&utm_campaign=c&utm_content=d",
      "https://shop.example/s?utm_source=a&utm_medium=b&utm_campaign=c&utm_content=d" },
    { "https://shop.example:8443/p", "https://shop.example:8443/p?" UTM_SMS },
    { "https://shop.example:8443", "https://shop.example:8443/?" UTM_SMS },
    { "https://例え.jp/パス", "https://例え.jp/パス?" UTM_SMS },
    { "https://a.example/%E2%82%AC", "https://a.example/%E2%82%AC?" UTM_SMS },
    { "https://shop.example/s?", "https://shop.example/s?" UTM_SMS },
    { "https://shop.example/s?a=1&", "https://shop.example/s?a=1&" UTM_SMS },
    { "https://shop.example/a+b?q=a+b;c=%2B", "https://shop.example/a+b?q=a+b;c=%2B&" UTM_SMS },
    { "https://shop.example/cart/{{cart_id}}", "https://shop.example/cart/{{cart_id}}?" UTM_SMS },
    { "https://shop.example/c?id={{id}}#{{anchor}}",
      "https://shop.example/c?id={{id}}&" UTM_SMS "#{{anchor}}" },
    { "https://shop.example/{{#vip}}vip{{/vip}}", "https://shop.example/{{#vip}}vip{{/vip}}?" UTM_SMS },
    { "https://{{host}}", "https://{{host}}/?" UTM_SMS },
    { "www.shop.example", "www.shop.example/?" UTM_SMS },
    { "www.shop.example/x?y=1", "www.shop.example/x?y=1&" UTM_SMS },
  };
  const TcUtmParams partial = { "whatsapp", NULL, "été 2026 & more", "" };
  const TcUtmParams none = { NULL, "", NULL, NULL };
  g_autofree char *with_partial = NULL;
  g_autofree char *with_none = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *tagged = tc_links_add_utm (cases[i].url, &sms_utm);

      g_test_message ("case %u: %s", i, cases[i].url);
      g_assert_cmpstr (tagged, ==, cases[i].expected);

      /* The result is still a URL GUri accepts as it is (a template's
       * "{{…}}" and bare "www." forms are not URLs until rendered). */
      if (strstr (tagged, "://") != NULL && strstr (tagged, "{{") == NULL)
        g_assert_true (g_uri_is_valid (tagged, G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED,
                                       NULL));
    }

  /* Values are percent-encoded; NULL and "" leave the parameter out. */
  with_partial = tc_links_add_utm ("https://a.example/x", &partial);
  g_assert_cmpstr (with_partial, ==,
                   "https://a.example/x?utm_source=whatsapp"
                   "&utm_campaign=%C3%A9t%C3%A9%202026%20%26%20more");

  with_none = tc_links_add_utm ("https://a.example", &none);
  g_assert_cmpstr (with_none, ==, "https://a.example");

  g_assert_cmpstr (tc_links_default_source (TC_CHANNEL_SMS), ==, "sms");
  g_assert_cmpstr (tc_links_default_source (TC_CHANNEL_WHATSAPP), ==, "whatsapp");
  g_assert_cmpstr (tc_links_default_medium (TC_CHANNEL_SMS), ==, "sms");
  g_assert_cmpstr (tc_links_default_medium (TC_CHANNEL_WHATSAPP), ==, "whatsapp");
}

static void
test_slugify (void)
{
  static const struct
  {
    const char *name;
    const char *slug;
  } cases[] = {
    { "Spring Sale", "spring-sale" },
    { "Black Friday – 20% off!", "black-friday-20-off" },
    { "Été à Paris", "ete-a-paris" },
    { "  Spring__Sale  ", "spring-sale" },
    { "Straße", "strasse" },
    { "Распродажа 2026", "распродажа-2026" },
    { "!!!", "" },
    { "", "" },
    { "already-a-slug", "already-a-slug" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *slug = tc_links_slugify (cases[i].name);

      g_assert_cmpstr (slug, ==, cases[i].slug);
    }
}

static void
test_tag_text (void)
{
  static const struct
  {
    const char *text;
    const char *expected;
  } cases[] = {
    { "No links here.", "No links here." },
    { "", "" },
    { "A https://a.example, B www.b.example/x?y=1#z. End",
      "A https://a.example/?" UTM_SMS ", B www.b.example/x?y=1&" UTM_SMS "#z. End" },
    { "(https://a.example/p)", "(https://a.example/p?" UTM_SMS ")" },
    { "Same twice: https://a.example/p https://a.example/p",
      "Same twice: https://a.example/p?" UTM_SMS " https://a.example/p?" UTM_SMS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *tagged = tc_links_tag_text (cases[i].text, &sms_utm);

      g_assert_cmpstr (tagged, ==, cases[i].expected);
    }
}

/* A stand-in for rendering: replaces whole tags by values. */
static char *
render (const char         *source,
        const char * const *pairs)
{
  char *text = g_strdup (source);

  for (guint i = 0; pairs[i] != NULL; i += 2)
    {
      g_auto(GStrv) pieces = g_strsplit (text, pairs[i], -1);

      g_free (text);
      text = g_strjoinv (pairs[i + 1], pieces);
    }

  return text;
}

static void
test_tag_source_or_rendered (void)
{
  const char *source =
    "Hi {{name}}, your cart: https://shop.example/cart/{{cart_id}}. "
    "Refer a friend: https://shop.example/r?ref={{ref}}#share!";
  const char *const values[] = {
    "{{name}}", "Ana", "{{cart_id}}", "c42", "{{ref}}", "r-1", NULL,
  };
  const char *expected =
    "Hi Ana, your cart: https://shop.example/cart/c42?" UTM_SMS ". "
    "Refer a friend: https://shop.example/r?ref=r-1&" UTM_SMS "#share!";
  g_autofree char *tagged_source = tc_links_tag_text (source, &sms_utm);
  g_autofree char *then_rendered = render (tagged_source, values);
  g_autofree char *rendered = render (source, values);
  g_autofree char *tagged_rendered = tc_links_tag_text (rendered, &sms_utm);
  const char *from_variable = "Your cart: {{event.cart_url}}";
  const char *const url_value[] = { "{{event.cart_url}}", "https://shop.example/c/9", NULL };
  g_autofree char *var_tagged_source = tc_links_tag_text (from_variable, &sms_utm);
  g_autofree char *var_rendered = render (from_variable, url_value);
  g_autofree char *var_tagged_rendered = tc_links_tag_text (var_rendered, &sms_utm);

  /* The tags survive tagging, and both orders give the same message. */
  g_assert_nonnull (strstr (tagged_source, "/cart/{{cart_id}}?utm_source=sms"));
  g_assert_nonnull (strstr (tagged_source, "?ref={{ref}}&utm_source=sms"));
  g_assert_cmpstr (then_rendered, ==, expected);
  g_assert_cmpstr (tagged_rendered, ==, expected);

  /* A link that comes whole from a variable is only reached after
   * rendering, which is why the send path tags rendered text. */
  g_assert_cmpstr (var_tagged_source, ==, from_variable);
  g_assert_cmpstr (var_tagged_rendered, ==, "Your cart: https://shop.example/c/9?" UTM_SMS);
}

static void
test_generate_code (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint counts[128] = { 0 };

  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr(GError) error = NULL;
      char *code = tc_links_generate_code (&error);

      g_assert_no_error (error);
      g_assert_cmpuint (strlen (code), ==, TC_LINKS_CODE_LENGTH);
      for (const char *p = code; *p != '\0'; p++)
        {
          g_assert_true (g_ascii_isalnum (*p));
          counts[(guchar) *p]++;
        }
      g_assert_false (g_hash_table_contains (seen, code));
      g_hash_table_add (seen, code);
    }

  /* 16,000 characters over 62 symbols: about 258 each. Every symbol shows
   * up, and none is wildly over-represented. */
  for (guint c = 0; c < 128; c++)
    {
      if (!g_ascii_isalnum ((char) c))
        {
          g_assert_cmpuint (counts[c], ==, 0);
          continue;
        }
      g_assert_cmpuint (counts[c], >, 150);
      g_assert_cmpuint (counts[c], <, 400);
    }
}

typedef struct
{
  GPtrArray *long_urls;
  GArray *indices;
  guint fail_at;
} Recorder;

static char *
record_code (const char  *long_url,
             guint        index,
             gpointer     user_data,
             GError     **error)
{
  Recorder *recorder = user_data;

  if (recorder->long_urls->len == recorder->fail_at)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "store is full");
      return NULL;
    }

  g_ptr_array_add (recorder->long_urls, g_strdup (long_url));
  g_array_append_val (recorder->indices, index);
  return g_strdup_printf ("c%07u", recorder->long_urls->len - 1);
}

static void
test_shorten (void)
{
  Recorder recorder = {
    g_ptr_array_new_with_free_func (g_free),
    g_array_new (FALSE, FALSE, sizeof (guint)),
    G_MAXUINT,
  };
  g_autoptr(GError) error = NULL;
  const char *text = "Sale: https://shop.example/s?utm_source=sms. And www.b.example/x!";
  g_autofree char *short_text = NULL;
  g_autofree char *failed = NULL;

  short_text = tc_links_shorten_text (text, "t.example", record_code, &recorder, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (short_text, ==, "Sale: https://t.example/l/c0000000. And https://t.example/l/c0000001!");
  g_assert_cmpuint (recorder.long_urls->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (recorder.long_urls, 0), ==,
                   "https://shop.example/s?utm_source=sms");
  g_assert_cmpstr (g_ptr_array_index (recorder.long_urls, 1), ==, "https://www.b.example/x");
  g_assert_cmpuint (g_array_index (recorder.indices, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (recorder.indices, guint, 1), ==, 1);

  /* The allocator's error stops the rewrite. */
  g_ptr_array_set_size (recorder.long_urls, 0);
  recorder.fail_at = 1;
  failed = tc_links_shorten_text (text, "t.example", record_code, &recorder, &error);
  g_assert_null (failed);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);

  g_ptr_array_unref (recorder.long_urls);
  g_array_unref (recorder.indices);
}

static char *
random_code (G_GNUC_UNUSED const char  *long_url,
             G_GNUC_UNUSED guint        index,
             G_GNUC_UNUSED gpointer     user_data,
             GError                   **error)
{
  return tc_links_generate_code (error);
}

static void
test_final_length (void)
{
  static const struct
  {
    const char *text;
    const char *domain;
    const char *preview;
    glong length;
  } cases[] = {
    { "Hi https://shop.example/very/long/path?x=1 bye", "t.example",
      "Hi https://t.example/l/xxxxxxxx bye", 35 },
    { "Hi https://shop.example/very/long/path?x=1 bye", NULL,
      "Hi https://shop.example/very/long/path?x=1 bye", 46 },
    { "No link", "t.example", "No link", 7 },
    { "a www.x.example b https://y.example/z.", "go.example",
      "a https://go.example/l/xxxxxxxx b https://go.example/l/xxxxxxxx.", 64 },
    { "Ça https://shop.example/été", "tč.example", "Ça https://tč.example/l/xxxxxxxx", 32 },
  };

  g_assert_cmpint (tc_links_short_link_length ("t.example"), ==, 28);
  g_assert_cmpint (tc_links_short_link_length ("tč.example"), ==, 29);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *preview = tc_links_preview_text (cases[i].text, cases[i].domain);

      g_assert_cmpstr (preview, ==, cases[i].preview);
      g_assert_cmpint (tc_links_final_length (cases[i].text, cases[i].domain), ==,
                       cases[i].length);

      /* The length counted before codes exist is the length sent. */
      if (cases[i].domain != NULL)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *sent = tc_links_shorten_text (cases[i].text, cases[i].domain,
                                                         random_code, NULL, &error);

          g_assert_no_error (error);
          g_assert_cmpint (g_utf8_strlen (sent, -1), ==, cases[i].length);
        }
    }
}

/* Opt-out ------------------------------------------------------------- */

static void
test_optout_texts (void)
{
  static const char *const languages[] = { "en", "fr", "es", "de", "it", "pt", "nl" };
  g_autoptr(TcOptout) optout = tc_optout_new ();
  g_autoptr(TcOptout) copy = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      const char *text = tc_optout_get_text (optout, languages[i]);

      g_assert_nonnull (text);
      g_assert_cmpstr (text, ==, tc_optout_default_text (languages[i]));
      g_assert_nonnull (strstr (text, "STOP"));
      /* Each default is recognised, so it is never appended twice. */
      g_assert_true (tc_optout_has_instruction (text));
      /* And costs no more than it must: a default outside GSM-7 would turn
       * every promotional text in that language into UCS-2. */
      {
        TcSmsCount count;

        g_assert_true (tc_sms_count (text, -1, &count));
        g_assert_cmpint (count.encoding, ==, TC_SMS_ENCODING_GSM7);
      }
    }

  g_assert_cmpstr (tc_optout_get_text (optout, "en"), ==, "Reply STOP to opt out");
  g_assert_cmpstr (tc_optout_get_text (optout, "pt_BR"), ==, tc_optout_default_text ("pt"));
  g_assert_cmpstr (tc_optout_get_text (optout, "pt-BR"), ==, tc_optout_default_text ("pt"));
  g_assert_cmpstr (tc_optout_get_text (optout, "DE"), ==, tc_optout_default_text ("de"));
  g_assert_cmpstr (tc_optout_get_text (optout, "ja"), ==, "Reply STOP to opt out");
  g_assert_cmpstr (tc_optout_get_text (optout, NULL), ==, "Reply STOP to opt out");
  g_assert_null (tc_optout_default_text ("ja"));
  g_assert_cmpstr (tc_optout_default_text ("fr_CA"), ==, tc_optout_default_text ("fr"));

  tc_optout_set_text (optout, "fr", "STOP au 36173");
  tc_optout_set_text (optout, "pt-BR", "Responda SAIR para sair");
  g_assert_cmpstr (tc_optout_get_text (optout, "fr_CA"), ==, "STOP au 36173");
  g_assert_cmpstr (tc_optout_get_text (optout, "pt_BR"), ==, "Responda SAIR para sair");
  g_assert_cmpstr (tc_optout_get_text (optout, "pt_PT"), ==, tc_optout_default_text ("pt"));

  copy = tc_optout_copy (optout);
  tc_optout_set_text (optout, "fr", NULL);
  g_assert_cmpstr (tc_optout_get_text (optout, "fr"), ==, "Reply STOP to opt out");
  g_assert_cmpstr (tc_optout_get_text (copy, "fr"), ==, "STOP au 36173");
}

static void
test_optout_detect (void)
{
  static const struct
  {
    const char *text;
    gboolean has;
  } cases[] = {
    { "Reply STOP to opt out", TRUE },
    { "reply stop to opt out", TRUE },
    { "Text END to quit", TRUE },
    { "Txt STOP 2 end", TRUE },
    { "Opt-out: shop.example/u", TRUE },
    { "To unsubscribe, visit shop.example", TRUE },
    { "Sale! STOP 36173", TRUE },
    { "STOP au 36173", TRUE },
    { "Envoyez STOP au 36173", TRUE },
    { "repondez stop pour vous desabonner", TRUE },
    { "Répondez Stop pour vous désabonner", TRUE },
    { "Responde BAJA para darte de baja", TRUE },
    { "Envía STOP al 12345", TRUE },
    { "Antworte STOP zum Abmelden", TRUE },
    { "Zum abmelden: Link", TRUE },
    { "Rispondi stop per annullare l'iscrizione", TRUE },
    { "Responda SAIR para cancelar", TRUE },
    { "Antwoord stop om je af te melden", TRUE },
    { "Big sale today", FALSE },
    { "Don't stop shopping!", FALSE },
    { "Stop by our store", FALSE },
    { "Non-stop deals all week", FALSE },
    { "New stopwatch in stock", FALSE },
    { "Bus STOPS here", FALSE },
    { "", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u: %s", i, cases[i].text);
      g_assert_cmpint (tc_optout_has_instruction (cases[i].text), ==, cases[i].has);
    }
}

static void
test_optout_apply (void)
{
  static const struct
  {
    const char *text;
    const char *language;
    const char *expected;
  } cases[] = {
    { "Big sale today", "en", "Big sale today\nReply STOP to opt out" },
    { "Big sale today\n", "en", "Big sale today\nReply STOP to opt out" },
    { "", "en", "Reply STOP to opt out" },
    { "Soldes !", "fr", "Soldes !\nRépondez STOP pour vous désabonner" },
    { "Rebajas", "es_MX", "Rebajas\nResponde STOP para darte de baja" },
    { "Angebot", "de", "Angebot\nAntworte STOP zum Abmelden" },
    { "Saldi", "it", "Saldi\nRispondi STOP per annullare l'iscrizione" },
    { "Promoção", "pt_BR", "Promoção\nResponda STOP para cancelar" },
    { "Uitverkoop", "nl", "Uitverkoop\nAntwoord STOP om je af te melden" },
    { "Sale. Reply STOP to opt out", "en", "Sale. Reply STOP to opt out" },
    { "Soldes. STOP au 36173", "fr", "Soldes. STOP au 36173" },
  };
  g_autoptr(TcOptout) optout = tc_optout_new ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *once = tc_optout_apply (optout, cases[i].text, cases[i].language);
      g_autofree char *twice = tc_optout_apply (optout, once, cases[i].language);

      g_assert_cmpstr (once, ==, cases[i].expected);
      g_assert_cmpstr (twice, ==, once);
    }
}

static void
test_optout_required (void)
{
  static const struct
  {
    TcPurpose purpose;
    gboolean first;
    gboolean every;
    gboolean required;
  } cases[] = {
    { TC_PURPOSE_PROMOTIONAL, TRUE, TRUE, TRUE },
    { TC_PURPOSE_PROMOTIONAL, TRUE, FALSE, TRUE },
    { TC_PURPOSE_PROMOTIONAL, FALSE, TRUE, TRUE },
    { TC_PURPOSE_PROMOTIONAL, FALSE, FALSE, FALSE },
    { TC_PURPOSE_TRANSACTIONAL, TRUE, TRUE, FALSE },
    { TC_PURPOSE_TRANSACTIONAL, TRUE, FALSE, FALSE },
    { TC_PURPOSE_TRANSACTIONAL, FALSE, TRUE, FALSE },
    { TC_PURPOSE_TRANSACTIONAL, FALSE, FALSE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (tc_optout_required (cases[i].purpose, cases[i].first, cases[i].every),
                     ==, cases[i].required);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tc/links/find", test_find);
  g_test_add_func ("/tc/links/utm", test_utm);
  g_test_add_func ("/tc/links/slugify", test_slugify);
  g_test_add_func ("/tc/links/tag-text", test_tag_text);
  g_test_add_func ("/tc/links/tag-source-or-rendered", test_tag_source_or_rendered);
  g_test_add_func ("/tc/links/generate-code", test_generate_code);
  g_test_add_func ("/tc/links/shorten", test_shorten);
  g_test_add_func ("/tc/links/final-length", test_final_length);
  g_test_add_func ("/tc/optout/texts", test_optout_texts);
  g_test_add_func ("/tc/optout/detect", test_optout_detect);
  g_test_add_func ("/tc/optout/apply", test_optout_apply);
  g_test_add_func ("/tc/optout/required", test_optout_required);

  return g_test_run ();
}
