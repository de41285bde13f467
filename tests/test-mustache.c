/* test-mustache.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Mustache engine: our own table of cases of every kind, the official
 * specification's tests when a copy is around (TEXTCAST_MUSTACHE_SPEC_DIR,
 * which meson points at ../shared/specs/mustache beside the checkout), and
 * `textcast-cli template render` as a real program ($TEXTCAST_CLI).
 */

#define G_LOG_DOMAIN "test-mustache"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tc-contact.h"
#include "tc-mustache.h"

#define DEFAULT_SPEC_DIR "../shared/specs/mustache"

static JsonNode *
parse_json (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  node = json_from_string (json, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);

  return node;
}

static char *
join_missing (GPtrArray *missing)
{
  GString *joined = g_string_new (NULL);

  for (guint i = 0; i < missing->len; i++)
    {
      if (i > 0)
        g_string_append_c (joined, ',');
      g_string_append (joined, g_ptr_array_index (missing, i));
    }

  return g_string_free (joined, FALSE);
}

/* Rendering: template, data, partials → output and missing names. */

typedef struct
{
  const char       *path;
  const char       *template;
  const char       *data;        /* JSON */
  const char       *partials;    /* JSON object, or NULL */
  TcMustacheEscape  escape;
  const char       *expected;
  const char       *missing;     /* comma-separated, in order; "" for none */
} RenderCase;

#define HTML TC_MUSTACHE_ESCAPE_HTML
#define NONE TC_MUSTACHE_ESCAPE_NONE

static const RenderCase render_cases[] = {
  /* Interpolation */
  { "interpolation/plain", "Hello, world", "{}", NULL, HTML, "Hello, world", "" },
  { "interpolation/empty-template", "", "{}", NULL, HTML, "", "" },
  { "interpolation/string", "Hi {{name}}!", "{\"name\":\"Ana\"}", NULL, HTML, "Hi Ana!", "" },
  { "interpolation/utf8", "¡Hola {{name}}! 👋", "{\"name\":\"José\"}", NULL, NONE,
    "¡Hola José! 👋", "" },
  { "interpolation/integer", "{{n}} left", "{\"n\":42}", NULL, HTML, "42 left", "" },
  { "interpolation/negative", "{{n}}", "{\"n\":-7}", NULL, HTML, "-7", "" },
  { "interpolation/big-integer", "{{n}}", "{\"n\":9007199254740993}", NULL, HTML,
    "9007199254740993", "" },
  { "interpolation/decimal", "{{x}}", "{\"x\":1.21}", NULL, HTML, "1.21", "" },
  { "interpolation/decimal-tenth", "{{x}}", "{\"x\":0.1}", NULL, HTML, "0.1", "" },
  { "interpolation/decimal-whole", "{{x}}", "{\"x\":3.0}", NULL, HTML, "3", "" },
  { "interpolation/decimal-exponent", "{{x}}", "{\"x\":1e21}", NULL, HTML, "1e+21", "" },
  { "interpolation/decimal-precise", "{{x}}", "{\"x\":0.30000000000000004}", NULL, HTML,
    "0.30000000000000004", "" },
  { "interpolation/booleans", "{{t}} {{f}}", "{\"t\":true,\"f\":false}", NULL, HTML,
    "true false", "" },
  { "interpolation/null", "[{{x}}]", "{\"x\":null}", NULL, HTML, "[]", "x" },
  { "interpolation/missing", "[{{x}}]", "{}", NULL, HTML, "[]", "x" },
  { "interpolation/empty-string", "[{{x}}]", "{\"x\":\"\"}", NULL, HTML, "[]", "x" },
  { "interpolation/array", "{{tags}}", "{\"tags\":[\"vip\",\"new\"]}", NULL, HTML,
    "vip, new", "" },
  { "interpolation/array-mixed", "{{a}}", "{\"a\":[1,null,\"<x>\",{\"o\":1},[2],2.5]}",
    NULL, HTML, "1, &lt;x&gt;, 2.5", "" },
  { "interpolation/object", "[{{o}}]", "{\"o\":{\"a\":1}}", NULL, HTML, "[]", "o" },
  { "interpolation/empty-array", "[{{a}}{{b}}]", "{\"a\":[],\"b\":[null,{}]}", NULL, HTML,
    "[]", "a,b" },
  { "interpolation/no-reinterpolation", "{{t}}", "{\"t\":\"{{x}}\",\"x\":\"no\"}", NULL,
    HTML, "{{x}}", "" },
  { "interpolation/padding", "|{{ name }}|{{& name }}|{{{ name }}}|", "{\"name\":\"-\"}",
    NULL, HTML, "|-|-|-|", "" },
  { "interpolation/tag-on-own-line", "  {{v}}\n", "{\"v\":\"x\"}", NULL, HTML, "  x\n", "" },
  { "interpolation/tag-on-own-line-empty", "  {{v}}\nz", "{}", NULL, HTML, "  \nz", "v" },
  { "interpolation/root-string", "Hi {{.}}", "\"you\"", NULL, HTML, "Hi you", "" },
  { "interpolation/root-null", "[{{.}}]", "null", NULL, HTML, "[]", "." },
  { "interpolation/name-chars", "{{cart-url}} {{order#}} {{élan}}",
    "{\"cart-url\":\"u\",\"order#\":7,\"élan\":\"é\"}", NULL, HTML, "u 7 é", "" },

  /* Escaping */
  { "escape/html", "{{s}}", "{\"s\":\"<b>\\\"Tom\\\" & 'Jerry'</b>\"}", NULL, HTML,
    "&lt;b&gt;&quot;Tom&quot; &amp; 'Jerry'&lt;/b&gt;", "" },
  { "escape/html-only-specials", "{{s}}", "{\"s\":\"a&&b\"}", NULL, HTML, "a&amp;&amp;b", "" },
  { "escape/triple", "{{{s}}}", "{\"s\":\"<b>&\"}", NULL, HTML, "<b>&", "" },
  { "escape/ampersand", "{{&s}}", "{\"s\":\"<b>&\"}", NULL, HTML, "<b>&", "" },
  { "escape/none", "{{s}} {{{s}}}", "{\"s\":\"<b>&\"}", NULL, NONE, "<b>& <b>&", "" },
  { "escape/template-text-untouched", "<p>&amp;{{s}}</p>", "{\"s\":\"&\"}", NULL, HTML,
    "<p>&amp;&amp;</p>", "" },
  { "escape/implicit-iterator", "{{#l}}({{.}}){{/l}}", "{\"l\":[\"<\",\">\"]}", NULL, HTML,
    "(&lt;)(&gt;)", "" },

  /* Dotted names */
  { "dotted/basic", "{{a.b.c}}", "{\"a\":{\"b\":{\"c\":\"deep\"}}}", NULL, HTML, "deep", "" },
  { "dotted/equals-section", "{{p.name}}={{#p}}{{name}}{{/p}}", "{\"p\":{\"name\":\"Jo\"}}",
    NULL, HTML, "Jo=Jo", "" },
  { "dotted/broken-chain", "[{{a.b.c}}]", "{\"a\":{\"b\":\"str\"}}", NULL, HTML, "[]", "a.b.c" },
  { "dotted/never-single-key", "[{{a.b}}]", "{\"a.b\":\"no\"}", NULL, HTML, "[]", "a.b" },
  { "dotted/no-masking", "{{a.b}}", "{\"a.b\":\"no\",\"a\":{\"b\":\"yes\"}}", NULL, HTML,
    "yes", "" },
  { "dotted/first-part-only-walks", "{{#a}}[{{b.c}}]{{/a}}",
    "{\"a\":{\"b\":{}},\"b\":{\"c\":\"wrong\"}}", NULL, HTML, "[]", "b.c" },
  { "dotted/section", "{{#a.b}}yes{{/a.b}}{{^a.c}}no{{/a.c}}", "{\"a\":{\"b\":true}}", NULL,
    HTML, "yesno", "" },

  /* Context stack */
  { "context/parent", "{{#person}}{{name}} at {{brand}}{{/person}}",
    "{\"brand\":\"Acme\",\"person\":{\"name\":\"Bo\"}}", NULL, HTML, "Bo at Acme", "" },
  { "context/shadowing", "{{#p}}{{name}}{{/p}} {{name}}",
    "{\"name\":\"outer\",\"p\":{\"name\":\"inner\"}}", NULL, HTML, "inner outer", "" },
  { "context/null-shadows", "{{#p}}[{{name}}]{{/p}}",
    "{\"name\":\"outer\",\"p\":{\"name\":null}}", NULL, HTML, "[]", "name" },
  { "context/list-of-lists", "{{#l}}({{#.}}{{.}}{{/.}}){{/l}}", "{\"l\":[[1,2],[\"a\"]]}",
    NULL, HTML, "(12)(a)", "" },
  { "context/root-list", "{{#.}}{{v}};{{/.}}", "[{\"v\":1},{\"v\":2}]", NULL, HTML, "1;2;", "" },
  { "context/nested-lists", "{{#o}}{{#i}}{{on}}{{in}} {{/i}}{{/o}}",
    "{\"o\":[{\"on\":\"A\",\"i\":[{\"in\":1},{\"in\":2}]},{\"on\":\"B\",\"i\":[{\"in\":3}]}]}",
    NULL, HTML, "A1 A2 B3 ", "" },

  /* Sections */
  { "section/true", "[{{#b}}yes{{/b}}]", "{\"b\":true}", NULL, HTML, "[yes]", "" },
  { "section/false", "[{{#b}}yes{{/b}}]", "{\"b\":false}", NULL, HTML, "[]", "" },
  { "section/null", "[{{#b}}yes{{/b}}]", "{\"b\":null}", NULL, HTML, "[]", "" },
  { "section/missing-not-reported", "[{{#b}}yes{{/b}}]", "{}", NULL, HTML, "[]", "" },
  { "section/empty-string-falsy", "[{{#b}}yes{{/b}}]", "{\"b\":\"\"}", NULL, HTML, "[]", "" },
  { "section/zero-truthy", "[{{#b}}{{.}}{{/b}}]", "{\"b\":0}", NULL, HTML, "[0]", "" },
  { "section/string-pushed", "[{{#b}}{{.}}{{/b}}]", "{\"b\":\"x\"}", NULL, HTML, "[x]", "" },
  { "section/object", "{{#c}}Hi {{name}}.{{/c}}", "{\"c\":{\"name\":\"Joe\"}}", NULL, HTML,
    "Hi Joe.", "" },
  { "section/empty-object-truthy", "[{{#c}}yes{{/c}}]", "{\"c\":{}}", NULL, HTML, "[yes]", "" },
  { "section/list", "{{#items}}{{name}}={{qty}};{{/items}}",
    "{\"items\":[{\"name\":\"a\",\"qty\":1},{\"name\":\"b\",\"qty\":2}]}", NULL, HTML,
    "a=1;b=2;", "" },
  { "section/empty-list", "[{{#items}}x{{/items}}]", "{\"items\":[]}", NULL, HTML, "[]", "" },
  { "section/list-of-scalars", "{{#l}}<{{.}}>{{/l}}", "{\"l\":[\"a\",1,true]}", NULL, NONE,
    "<a><1><true>", "" },
  { "section/nested-same-name", "| A {{#b}}B {{#b}}C{{/b}} D{{/b}} E |", "{\"b\":true}", NULL,
    HTML, "| A B C D E |", "" },
  { "section/not-rendered-not-reported", "{{#vip}}{{code}}{{/vip}}", "{\"vip\":false}", NULL,
    HTML, "", "" },
  { "section/rendered-reported", "{{#vip}}[{{code}}]{{/vip}}", "{\"vip\":true}", NULL, HTML,
    "[]", "code" },
  { "section/padding", "|{{# b }}={{/ b }}|", "{\"b\":true}", NULL, HTML, "|=|", "" },

  /* Inverted sections */
  { "inverted/empty-list", "{{^items}}none{{/items}}", "{\"items\":[]}", NULL, HTML, "none", "" },
  { "inverted/list", "[{{^items}}none{{/items}}]", "{\"items\":[1]}", NULL, HTML, "[]", "" },
  { "inverted/missing", "{{^x}}none{{/x}}", "{}", NULL, HTML, "none", "" },
  { "inverted/empty-string", "{{^x}}none{{/x}}", "{\"x\":\"\"}", NULL, HTML, "none", "" },
  { "inverted/zero", "[{{^x}}none{{/x}}]", "{\"x\":0}", NULL, HTML, "[]", "" },
  { "inverted/object", "[{{^x}}none{{/x}}]", "{\"x\":{}}", NULL, HTML, "[]", "" },
  { "inverted/no-push", "{{^x}}{{y}}{{/x}}", "{\"x\":false,\"y\":\"Y\"}", NULL, HTML, "Y", "" },
  { "inverted/else", "{{#n}}Hi {{n}}{{/n}}{{^n}}Hi there{{/n}}", "{\"n\":null}", NULL, HTML,
    "Hi there", "" },

  /* Comments */
  { "comment/inline", "a{{! hidden }}b", "{}", NULL, HTML, "ab", "" },
  { "comment/multiline", "a{{!\n one\n two\n}}b", "{}", NULL, HTML, "ab", "" },
  { "comment/standalone", "a\n  {{! c }}\nb", "{}", NULL, HTML, "a\nb", "" },
  { "comment/standalone-multiline", "a\n{{!\nx\n}}\nb\n", "{}", NULL, HTML, "a\nb\n", "" },
  { "comment/inline-keeps-spaces", "  12 {{! 34 }}\n", "{}", NULL, HTML, "  12 \n", "" },
  { "comment/with-tags-inside", "{{! {{name {{#x }}ok", "{}", NULL, HTML, "ok", "" },

  /* Standalone lines */
  { "standalone/section", "Hi\n{{#a}}\nX\n{{/a}}\nBye", "{\"a\":true}", NULL, HTML,
    "Hi\nX\nBye", "" },
  { "standalone/indented", "Hi\n  {{#a}}\nX\n\t{{/a}}  \nBye", "{\"a\":true}", NULL, HTML,
    "Hi\nX\nBye", "" },
  { "standalone/crlf", "a\r\n{{#t}}\r\nb\r\n{{/t}}\r\nc", "{\"t\":true}", NULL, HTML,
    "a\r\nb\r\nc", "" },
  { "standalone/first-line", "  {{#t}}\nx{{/t}}\n", "{\"t\":true}", NULL, HTML, "x\n", "" },
  { "standalone/last-line", "x\n{{#t}}\ny\n  {{/t}}", "{\"t\":true}", NULL, HTML, "x\ny\n",
    "" },
  { "standalone/inline-is-not", " {{#t}}x{{/t}}\n", "{\"t\":true}", NULL, HTML, " x\n", "" },
  { "standalone/two-tags-is-not", "{{#t}}{{/t}}\nx", "{\"t\":true}", NULL, HTML, "\nx", "" },
  { "standalone/falsy-removes-lines", "Hi\n{{#vip}}\nVIP deal!\n{{/vip}}\nBye\n",
    "{\"vip\":false}", NULL, HTML, "Hi\nBye\n", "" },
  { "standalone/blank-line-kept", "a\n\n{{! c }}\n\nb", "{}", NULL, HTML, "a\n\n\nb", "" },

  /* Set delimiters */
  { "delimiters/basic", "{{=<% %>=}}Hi <% name %>!", "{\"name\":\"Ana\"}", NULL, HTML,
    "Hi Ana!", "" },
  { "delimiters/sections", "{{=[ ]=}}[#l]([.])[/l]", "{\"l\":[1,2]}", NULL, HTML, "(1)(2)", "" },
  { "delimiters/old-ones-are-text", "{{=<% %>=}}{{name}}<%name%>", "{\"name\":\"A\"}", NULL,
    HTML, "{{name}}A", "" },
  { "delimiters/back", "{{=<% %>=}}<%name%><%={{ }}=%>{{name}}", "{\"name\":\"A\"}", NULL,
    HTML, "AA", "" },
  { "delimiters/triple", "{{=<% %>=}}<%{s}%><%&s%><%s%>", "{\"s\":\"&\"}", NULL, HTML,
    "&&&amp;", "" },
  { "delimiters/long", "{{=<<< >>>=}}<<<a>>>", "{\"a\":1}", NULL, HTML, "1", "" },
  { "delimiters/standalone", "a\n  {{=| |=}}\n|b|", "{\"b\":2}", NULL, HTML, "a\n2", "" },
  { "delimiters/padding", "[{{=  @   @  =}}]@x@", "{\"x\":1}", NULL, HTML, "[]1", "" },
  { "delimiters/fallback", "{{=( )=}}Hi (name|there)", "{}", NULL, HTML, "Hi there", "" },

  /* Partials */
  { "partial/basic", "Sale!{{>footer}}", "{}", "{\"footer\":\" Reply STOP to opt out\"}",
    HTML, "Sale! Reply STOP to opt out", "" },
  { "partial/context", "{{>p}}", "{\"name\":\"Ana\"}", "{\"p\":\"Hi {{name}}\"}", HTML,
    "Hi Ana", "" },
  { "partial/section-context", "{{#c}}{{>p}}{{/c}}", "{\"c\":[{\"n\":1},{\"n\":2}]}",
    "{\"p\":\"<{{n}}>\"}", NONE, "<1><2>", "" },
  { "partial/missing", "[{{>footer}}]", "{}", "{}", HTML, "[]", ">footer" },
  { "partial/no-partials", "[{{>footer}}]", "{}", NULL, HTML, "[]", ">footer" },
  { "partial/not-a-string", "[{{>footer}}]", "{}", "{\"footer\":3}", HTML, "[]", ">footer" },
  { "partial/missing-inside", "{{>p}}", "{}", "{\"p\":\"[{{x}}]\"}", HTML, "[]", "x" },
  { "partial/standalone-indented", "Hi\n  {{>list}}\nBye", "{}", "{\"list\":\"a\\nb\\n\"}",
    HTML, "Hi\n  a\n  b\nBye", "" },
  { "partial/inline-not-indented", "x {{>list}}y", "{}", "{\"list\":\"a\\nb\\n\"}", HTML,
    "x a\nb\ny", "" },
  { "partial/nested-indentation", "  {{>outer}}\n", "{}",
    "{\"outer\":\"o\\n  {{>inner}}\\n\",\"inner\":\"1\\n2\\n\"}", HTML, "  o\n    1\n    2\n", "" },
  { "partial/values-not-indented", "  {{>p}}\n", "{\"v\":\"a\\nb\"}",
    "{\"p\":\"[\\n{{{v}}}\\n]\\n\"}", HTML, "  [\n  a\nb\n  ]\n", "" },
  { "partial/indent-inside-section", " {{>p}}\n", "{\"l\":[1,2]}",
    "{\"p\":\"{{#l}}\\n{{.}}\\n{{/l}}\\n\"}", HTML, " 1\n 2\n", "" },
  { "partial/indented-inline-partial-inside", "  {{>p}}\n", "{}",
    "{\"p\":\"a {{>q}}\\n\",\"q\":\"1\\n2\"}", HTML, "  a 1\n2\n", "" },
  { "partial/own-delimiters", "{{=<% %>=}}<%>p%>", "{\"name\":\"Ana\"}", "{\"p\":\"{{name}}\"}",
    HTML, "Ana", "" },
  { "partial/recursion", "{{>node}}",
    "{\"name\":\"root\",\"kids\":[{\"name\":\"a\",\"kids\":[]},{\"name\":\"b\",\"kids\":[]}]}",
    "{\"node\":\"{{name}}({{#kids}}{{>node}}{{/kids}})\"}", HTML, "root(a()b())", "" },
  { "partial/padding", "|{{> p }}|", "{}", "{\"p\":\"[]\"}", HTML, "|[]|", "" },

  /* Fallbacks */
  { "fallback/missing", "Hi {{first_name|there}}!", "{}", NULL, HTML, "Hi there!", "" },
  { "fallback/null", "Hi {{first_name|there}}!", "{\"first_name\":null}", NULL, HTML,
    "Hi there!", "" },
  { "fallback/empty", "Hi {{first_name|there}}!", "{\"first_name\":\"\"}", NULL, HTML,
    "Hi there!", "" },
  { "fallback/present", "Hi {{first_name|there}}!", "{\"first_name\":\"Ana\"}", NULL, HTML,
    "Hi Ana!", "" },
  { "fallback/trimmed", "Hi {{ first_name | dear customer }}!", "{}", NULL, HTML,
    "Hi dear customer!", "" },
  { "fallback/first-bar-splits", "{{a|b|c}} {{a||}}", "{}", NULL, HTML, "b|c |", "" },
  { "fallback/empty-silences", "[{{nickname|}}]", "{}", NULL, HTML, "[]", "" },
  { "fallback/triple", "{{{a|<b>}}}", "{}", NULL, HTML, "<b>", "" },
  { "fallback/ampersand", "{{&a|x & y}}", "{}", NULL, HTML, "x & y", "" },
  { "fallback/not-escaped", "{{a|<b> & co}}", "{}", NULL, HTML, "<b> & co", "" },
  { "fallback/value-escaped", "{{a|x}}", "{\"a\":\"<\"}", NULL, HTML, "&lt;", "" },
  { "fallback/false-is-a-value", "{{a|no}}", "{\"a\":false}", NULL, HTML, "false", "" },
  { "fallback/zero-is-a-value", "{{a|none}}", "{\"a\":0}", NULL, HTML, "0", "" },
  { "fallback/object", "{{a|x}}", "{\"a\":{}}", NULL, HTML, "x", "" },
  { "fallback/empty-array", "{{a|x}}", "{\"a\":[]}", NULL, HTML, "x", "" },
  { "fallback/dotted", "{{event.cart_url|https://shop.example/cart}}", "{\"event\":null}",
    NULL, HTML, "https://shop.example/cart", "" },
  { "fallback/in-list", "{{#items}}{{name|?}},{{/items}}",
    "{\"items\":[{\"name\":\"a\"},{},{\"name\":\"\"}]}", NULL, HTML, "a,?,?,", "" },
  { "fallback/implicit-iterator", "{{#l}}[{{.|-}}]{{/l}}", "{\"l\":[\"a\",\"\",null]}", NULL,
    HTML, "[a][-][-]", "" },
  { "fallback/with-spaces-and-braces", "{{a|{ok} }}", "{}", NULL, HTML, "{ok}", "" },
  { "fallback/unicode", "{{a|¡hola! 😀}}", "{}", NULL, NONE, "¡hola! 😀", "" },

  /* Missing-variable report */
  { "missing/unique-in-order", "{{b}}{{a}}{{b}}{{c|x}}{{a}}", "{}", NULL, HTML, "x", "b,a" },
  { "missing/dotted-and-partial", "{{event.url}}{{>footer}}{{event.url}}", "{}", "{}", HTML,
    "", "event.url,>footer" },
  { "missing/variables-in-list", "{{#l}}{{x}}{{/l}}", "{\"l\":[{\"x\":1},{},{}]}", NULL, HTML,
    "1", "x" },
  { "missing/triple", "{{{a}}}{{&b}}", "{}", NULL, HTML, "", "a,b" },
};

static void
test_render_case (gconstpointer data)
{
  const RenderCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcMustacheTemplate) tpl = NULL;
  g_autoptr(TcMustachePartials) partials = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *output = NULL;
  g_autofree char *joined = NULL;

  tpl = tc_mustache_parse (c->template, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tpl);

  root = parse_json (c->data);
  if (c->partials != NULL)
    {
      g_autoptr(JsonNode) sources = parse_json (c->partials);

      partials = tc_mustache_partials_new (json_node_get_object (sources));
    }

  output = tc_mustache_render (tpl, root, partials, c->escape, missing, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (output, ==, c->expected);

  joined = join_missing (missing);
  g_assert_cmpstr (joined, ==, c->missing);

  /* A second render with the same objects gives the same output (the
   * partial cache is used the second time). */
  {
    g_autofree char *again = tc_mustache_render (tpl, root, partials, c->escape, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (again, ==, c->expected);
  }
}

/* Parse errors: the code and the whole message. */

typedef struct
{
  const char *path;
  const char *template;
  int         code;
  const char *message;
  guint       line;
  guint       column;
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "unclosed-section", "Hi {{first_name}},\nyour items: {{#items}}{{name}} ",
    TC_MUSTACHE_ERROR_UNCLOSED_SECTION,
    "line 2, column 13: section “items” is opened but never closed", 2, 13 },
  { "unclosed-inner-section", "{{#a}}\n{{^b}}\n{{/a}}", TC_MUSTACHE_ERROR_MISMATCHED_CLOSE,
    "line 3, column 1: closing tag “a” does not match the open section “b” (line 2, column 1)",
    3, 1 },
  { "unclosed-sections-innermost", "{{#a}}{{#b}}", TC_MUSTACHE_ERROR_UNCLOSED_SECTION,
    "line 1, column 7: section “b” is opened but never closed", 1, 7 },
  { "unclosed-tag", "Hi {{name", TC_MUSTACHE_ERROR_UNCLOSED_TAG,
    "line 1, column 4: tag “{{” is not closed: “}}” is missing", 1, 4 },
  { "unclosed-tag-at-end", "Hi {{", TC_MUSTACHE_ERROR_UNCLOSED_TAG,
    "line 1, column 4: tag “{{” is not closed: “}}” is missing", 1, 4 },
  { "unclosed-triple", "x\n{{{name}}", TC_MUSTACHE_ERROR_UNCLOSED_TAG,
    "line 2, column 1: tag “{{{” is not closed: “}}}” is missing", 2, 1 },
  { "unclosed-comment", "{{! note", TC_MUSTACHE_ERROR_UNCLOSED_TAG,
    "line 1, column 1: tag “{{” is not closed: “}}” is missing", 1, 1 },
  { "unclosed-custom", "{{=<% %>=}}\n<%name", TC_MUSTACHE_ERROR_UNCLOSED_TAG,
    "line 2, column 1: tag “<%” is not closed: “%>” is missing", 2, 1 },
  { "column-counts-characters", "¡Olé! {{#x}}", TC_MUSTACHE_ERROR_UNCLOSED_SECTION,
    "line 1, column 7: section “x” is opened but never closed", 1, 7 },
  { "mismatched-close", "{{#items}}{{/item}}", TC_MUSTACHE_ERROR_MISMATCHED_CLOSE,
    "line 1, column 11: closing tag “item” does not match the open section “items” "
    "(line 1, column 1)", 1, 11 },
  { "close-without-open", "a\n{{/items}}", TC_MUSTACHE_ERROR_MISMATCHED_CLOSE,
    "line 2, column 1: closing tag “items” has no open section", 2, 1 },
  { "close-without-name", "{{#a}}{{/ }}", TC_MUSTACHE_ERROR_BAD_NAME,
    "line 1, column 7: the closing tag has no name", 1, 7 },
  { "delimiters-one", "{{=<% =}}", TC_MUSTACHE_ERROR_BAD_DELIMITERS,
    "line 1, column 1: a set-delimiter tag needs two delimiters separated by a space, "
    "as in {{=<% %>=}}", 1, 1 },
  { "delimiters-three", "{{=< % >=}}", TC_MUSTACHE_ERROR_BAD_DELIMITERS,
    "line 1, column 1: a set-delimiter tag needs two delimiters separated by a space, "
    "as in {{=<% %>=}}", 1, 1 },
  { "delimiters-no-equals", "x {{=<% %>}}", TC_MUSTACHE_ERROR_BAD_DELIMITERS,
    "line 1, column 3: a set-delimiter tag must end with “=”, as in {{=<% %>=}}", 1, 3 },
  { "delimiters-too-long", "{{=<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<< >=}}",
    TC_MUSTACHE_ERROR_BAD_DELIMITERS,
    "line 1, column 1: a delimiter can be at most 32 bytes long", 1, 1 },
  { "empty-name", "{{}}", TC_MUSTACHE_ERROR_BAD_NAME, "line 1, column 1: the tag has no name",
    1, 1 },
  { "empty-name-fallback", "{{ |x}}", TC_MUSTACHE_ERROR_BAD_NAME,
    "line 1, column 1: the tag has no name", 1, 1 },
  { "name-with-space", "Hi {{first name}}", TC_MUSTACHE_ERROR_BAD_NAME,
    "line 1, column 4: “first name” is not a valid name: a name has no spaces", 1, 4 },
  { "name-empty-part", "{{a..b}}", TC_MUSTACHE_ERROR_BAD_NAME,
    "line 1, column 1: “a..b” is not a valid name: each dot needs a name on both sides", 1, 1 },
  { "name-trailing-dot", "{{#a.}}{{/a.}}", TC_MUSTACHE_ERROR_BAD_NAME,
    "line 1, column 1: “a.” is not a valid name: each dot needs a name on both sides", 1, 1 },
  { "fallback-in-section", "{{#a|b}}{{/a}}", TC_MUSTACHE_ERROR_BAD_NAME,
    "line 1, column 1: a fallback (“|”) is only allowed in a variable tag", 1, 1 },
  { "partial-no-name", "{{> }}", TC_MUSTACHE_ERROR_BAD_NAME,
    "line 1, column 1: the partial tag has no name", 1, 1 },
  { "partial-space", "{{> my footer}}", TC_MUSTACHE_ERROR_BAD_NAME,
    "line 1, column 1: “my footer” is not a valid partial name: a name has no spaces", 1, 1 },
  { "inheritance-block", "{{$title}}x{{/title}}", TC_MUSTACHE_ERROR_UNSUPPORTED_TAG,
    "line 1, column 1: template inheritance (“{{$”) is not supported", 1, 1 },
  { "inheritance-parent", "a {{<base}}{{/base}}", TC_MUSTACHE_ERROR_UNSUPPORTED_TAG,
    "line 1, column 3: template inheritance (“{{<”) is not supported", 1, 3 },
  { "invalid-utf8", "ab\ncd\xff", TC_MUSTACHE_ERROR_INVALID_UTF8,
    "line 2, column 3: the text is not valid UTF-8 (or has a NUL byte)", 2, 3 },
};

static void
test_error_case (gconstpointer data)
{
  const ErrorCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcMustacheTemplate) tpl = NULL;
  guint line = 0, column = 0;

  tpl = tc_mustache_parse_full (c->template, -1, &line, &column, &error);
  g_assert_null (tpl);
  g_assert_error (error, TC_MUSTACHE_ERROR, c->code);
  g_assert_cmpstr (error->message, ==, c->message);
  g_assert_cmpuint (line, ==, c->line);
  g_assert_cmpuint (column, ==, c->column);
}

static void
test_error_nul_byte (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcMustacheTemplate) tpl = NULL;

  tpl = tc_mustache_parse ("a\0b", 3, &error);
  g_assert_null (tpl);
  g_assert_error (error, TC_MUSTACHE_ERROR, TC_MUSTACHE_ERROR_INVALID_UTF8);
  g_assert_cmpstr (error->message, ==,
                   "line 1, column 2: the text is not valid UTF-8 (or has a NUL byte)");
}

static void
test_error_nesting (void)
{
  g_autoptr(GString) source = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TcMustacheTemplate) tpl = NULL;

  /* Exactly the limit parses... */
  for (guint i = 0; i < TC_MUSTACHE_MAX_NESTING; i++)
    g_string_append (source, "{{#a}}");
  for (guint i = 0; i < TC_MUSTACHE_MAX_NESTING; i++)
    g_string_append (source, "{{/a}}");
  tpl = tc_mustache_parse (source->str, source->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tpl);
  g_clear_pointer (&tpl, tc_mustache_template_unref);

  /* ...and one more does not. */
  g_string_prepend (source, "{{#a}}");
  g_string_append (source, "{{/a}}");
  tpl = tc_mustache_parse (source->str, source->len, &error);
  g_assert_null (tpl);
  g_assert_error (error, TC_MUSTACHE_ERROR, TC_MUSTACHE_ERROR_TOO_DEEP);
  g_assert_cmpstr (error->message, ==,
                   "line 1, column 601: sections are nested more than 100 deep");
}

static void
test_len (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcMustacheTemplate) tpl = NULL;
  g_autoptr(JsonNode) root = parse_json ("{\"a\":\"A\"}");
  g_autofree char *output = NULL;

  /* Only the first @len bytes count: the unclosed tag after them is not seen. */
  tpl = tc_mustache_parse ("x{{a}}y{{b", 7, &error);
  g_assert_no_error (error);
  output = tc_mustache_render (tpl, root, NULL, TC_MUSTACHE_ESCAPE_HTML, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (output, ==, "xAy");
  g_assert_cmpstr (tc_mustache_template_get_source (tpl), ==, "x{{a}}y");
}

/* Render-time errors and limits. */

static void
test_render_partial_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcMustacheTemplate) tpl = tc_mustache_parse ("a{{>bad}}", -1, &error);
  g_autoptr(TcMustachePartials) partials = tc_mustache_partials_new (NULL);
  g_autoptr(JsonNode) root = parse_json ("{}");
  g_autofree char *output = NULL;

  g_assert_no_error (error);
  tc_mustache_partials_add (partials, "bad", "ok\n{{#x}}");
  output = tc_mustache_render (tpl, root, partials, TC_MUSTACHE_ESCAPE_HTML, NULL, &error);
  g_assert_null (output);
  g_assert_error (error, TC_MUSTACHE_ERROR, TC_MUSTACHE_ERROR_PARTIAL);
  g_assert_cmpstr (error->message, ==,
                   "partial “bad”: line 2, column 1: section “x” is opened but never closed");
  g_clear_error (&error);

  /* Replacing the source fixes it. */
  tc_mustache_partials_add (partials, "bad", "ok");
  output = tc_mustache_render (tpl, root, partials, TC_MUSTACHE_ESCAPE_HTML, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (output, ==, "aok");
}

static void
test_render_partial_depth (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcMustacheTemplate) tpl = tc_mustache_parse ("{{>loop}}", -1, &error);
  g_autoptr(TcMustachePartials) partials = tc_mustache_partials_new (NULL);
  g_autoptr(JsonNode) root = parse_json ("{}");
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_no_error (error);
  tc_mustache_partials_add (partials, "loop", "x{{>loop}}");
  g_assert_false (tc_mustache_render_to (tpl, root, partials, TC_MUSTACHE_ESCAPE_NONE, out,
                                         NULL, &error));
  g_assert_error (error, TC_MUSTACHE_ERROR, TC_MUSTACHE_ERROR_TOO_DEEP);
  g_assert_cmpstr (error->message, ==, "partials are nested more than 64 deep (“loop”)");
  g_assert_cmpuint (out->len, ==, TC_MUSTACHE_MAX_PARTIAL_DEPTH);
}

static void
test_render_nesting_limit (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcMustacheTemplate) tpl = tc_mustache_parse ("{{>i}}", -1, &error);
  g_autoptr(TcMustachePartials) partials = tc_mustache_partials_new (NULL);
  g_autoptr(GString) source = g_string_new (NULL);
  g_autofree char *output = NULL;

  /* Inverted sections push no context: 10 of them in each of 64 nested
   * partials would recurse 700 deep. */
  g_assert_no_error (error);
  for (guint i = 0; i < 10; i++)
    g_string_append (source, "{{^x}}");
  g_string_append (source, "{{>i}}");
  for (guint i = 0; i < 10; i++)
    g_string_append (source, "{{/x}}");
  tc_mustache_partials_add (partials, "i", source->str);

  output = tc_mustache_render (tpl, NULL, partials, TC_MUSTACHE_ESCAPE_NONE, NULL, &error);
  g_assert_null (output);
  g_assert_error (error, TC_MUSTACHE_ERROR, TC_MUSTACHE_ERROR_TOO_DEEP);
  g_assert_cmpstr (error->message, ==, "sections and partials are nested more than 512 deep");
}

static void
test_render_output_limit (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcMustacheTemplate) tpl = tc_mustache_parse ("{{#l}}{{big}}{{/l}}", -1, &error);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonArray) list = json_array_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *big = g_strnfill (100 * 1024, 'x');
  g_autofree char *output = NULL;

  g_assert_no_error (error);
  json_object_set_string_member (object, "big", big);
  for (guint i = 0; i < 10; i++)
    json_array_add_int_element (list, i);
  json_object_set_array_member (object, "l", json_array_ref (list));
  json_node_set_object (root, object);

  /* 10 × 100 KiB fits in 1 MiB... */
  output = tc_mustache_render (tpl, root, NULL, TC_MUSTACHE_ESCAPE_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (output), ==, 10 * 100 * 1024);
  g_clear_pointer (&output, g_free);

  /* ...11 do not. */
  json_array_add_int_element (list, 10);
  output = tc_mustache_render (tpl, root, NULL, TC_MUSTACHE_ESCAPE_NONE, NULL, &error);
  g_assert_null (output);
  g_assert_error (error, TC_MUSTACHE_ERROR, TC_MUSTACHE_ERROR_TOO_LARGE);
}

static void
test_render_step_limit (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcMustacheTemplate) tpl = tc_mustache_parse ("{{>w}}", -1, &error);
  g_autoptr(TcMustachePartials) partials = tc_mustache_partials_new (NULL);
  g_autoptr(JsonNode) root = parse_json ("{\"l\":[0,1,2,3,4,5,6,7,8,9]}");
  g_autofree char *output = NULL;

  /* Each of ten partials renders the next one ten times and prints
   * nothing: 10^10 steps without the limit, never deep nor large. */
  g_assert_no_error (error);
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *name = g_strdup_printf ("%c", i == 0 ? 'w' : 'a' + i);
      g_autofree char *source = g_strdup_printf ("{{#l}}{{>%c}}{{/l}}", 'a' + i + 1);

      tc_mustache_partials_add (partials, name, source);
    }
  output = tc_mustache_render (tpl, root, partials, TC_MUSTACHE_ESCAPE_NONE, NULL, &error);
  g_assert_null (output);
  g_assert_error (error, TC_MUSTACHE_ERROR, TC_MUSTACHE_ERROR_TOO_LARGE);
}

/* API details. */

static void
test_render_to_appends (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcMustacheTemplate) tpl = tc_mustache_parse ("Hi {{n|there}}", -1, &error);
  g_autoptr(GString) out = g_string_new ("> ");
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  const char *names[] = { "Ana", "", "Bo" };
  const char *expected[] = { "Hi Ana", "Hi there", "Hi Bo" };

  g_assert_no_error (error);
  json_object_set_string_member (object, "n", "x");
  json_node_set_object (root, object);

  g_assert_true (tc_mustache_render_to (tpl, root, NULL, TC_MUSTACHE_ESCAPE_NONE, out, NULL,
                                        &error));
  g_assert_no_error (error);
  g_assert_cmpstr (out->str, ==, "> Hi x");

  /* Changing a member's value in place is seen by the next render. */
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      json_node_set_string (json_object_get_member (object, "n"), names[i]);
      g_string_truncate (out, 0);
      g_assert_true (tc_mustache_render_to (tpl, root, NULL, TC_MUSTACHE_ESCAPE_NONE, out,
                                            NULL, &error));
      g_assert_cmpstr (out->str, ==, expected[i]);
    }
}

static void
test_missing_accumulates (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcMustacheTemplate) a = tc_mustache_parse ("{{x}}{{y}}", -1, &error);
  g_autoptr(TcMustacheTemplate) b = tc_mustache_parse ("{{z}}{{x}}", -1, &error);
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonNode) root = parse_json ("{\"y\":1}");
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *joined = NULL;

  g_assert_true (tc_mustache_render_to (a, root, NULL, TC_MUSTACHE_ESCAPE_NONE, out, missing,
                                        &error));
  g_assert_true (tc_mustache_render_to (b, root, NULL, TC_MUSTACHE_ESCAPE_NONE, out, missing,
                                        &error));
  joined = join_missing (missing);
  g_assert_cmpstr (joined, ==, "x,z");
  g_assert_cmpstr (out->str, ==, "1");
}

static void
test_null_data (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcMustacheTemplate) tpl = tc_mustache_parse ("[{{a}}{{.}}{{#b}}x{{/b}}{{^c}}y{{/c}}]",
                                                         -1, &error);
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *output = NULL;
  g_autofree char *joined = NULL;

  output = tc_mustache_render (tpl, NULL, NULL, TC_MUSTACHE_ESCAPE_HTML, missing, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (output, ==, "[y]");
  joined = join_missing (missing);
  g_assert_cmpstr (joined, ==, "a,.");
}

static void
upper_escape (GString    *out,
              const char *text,
              gsize       len,
              gpointer    user_data)
{
  guint *calls = user_data;
  g_autofree char *upper = g_ascii_strup (text, len);

  (*calls)++;
  g_string_append (out, upper);
}

static void
test_custom_escape (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcMustacheTemplate) tpl = tc_mustache_parse ("{{a}} {{{a}}} {{n}} {{m|fb}}", -1,
                                                         &error);
  g_autoptr(JsonNode) root = parse_json ("{\"a\":\"ab<\",\"n\":1.5}");
  g_autoptr(GString) out = g_string_new (NULL);
  guint calls = 0;

  g_assert_true (tc_mustache_render_to_full (tpl, root, NULL, upper_escape, &calls, out, NULL,
                                             &error));
  g_assert_no_error (error);
  g_assert_cmpstr (out->str, ==, "AB< ab< 1.5 fb");
  g_assert_cmpuint (calls, ==, 2);
}

static void
test_escape_strings (void)
{
  const char *names[] = { "html", "none" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      TcMustacheEscape escape;

      g_assert_true (tc_mustache_escape_from_string (names[i], &escape));
      g_assert_cmpstr (tc_mustache_escape_to_string (escape), ==, names[i]);
    }
  {
    TcMustacheEscape escape = TC_MUSTACHE_ESCAPE_NONE;

    g_assert_false (tc_mustache_escape_from_string ("HTML", &escape));
    g_assert_false (tc_mustache_escape_from_string ("", &escape));
    g_assert_false (tc_mustache_escape_from_string (NULL, &escape));
    g_assert_cmpint (escape, ==, TC_MUSTACHE_ESCAPE_NONE);
  }
}

static void
test_variables (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcMustacheTemplate) tpl = NULL;
  g_auto(GStrv) variables = NULL;
  g_auto(GStrv) partials = NULL;
  g_autofree char *joined_variables = NULL;
  g_autofree char *joined_partials = NULL;

  tpl = tc_mustache_parse ("{{first_name|there}} {{#event.items}}{{name}}{{.}}{{/event.items}}"
                           "{{^vip}}{{! no }}{{/vip}}{{first_name}}{{>footer}}{{{brand}}}"
                           "{{>footer}}{{>legal}}{{&x.y}}{{name}}", -1, &error);
  g_assert_no_error (error);

  variables = tc_mustache_template_dup_variables (tpl);
  joined_variables = g_strjoinv (",", variables);
  g_assert_cmpstr (joined_variables, ==, "first_name,event.items,name,vip,brand,x.y");

  partials = tc_mustache_template_dup_partials (tpl);
  joined_partials = g_strjoinv (",", partials);
  g_assert_cmpstr (joined_partials, ==, "footer,legal");
}

static void
test_variables_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcMustacheTemplate) tpl = tc_mustache_parse ("plain text", -1, &error);
  g_auto(GStrv) variables = tc_mustache_template_dup_variables (tpl);
  g_auto(GStrv) partials = tc_mustache_template_dup_partials (tpl);

  g_assert_nonnull (variables);
  g_assert_null (variables[0]);
  g_assert_nonnull (partials);
  g_assert_null (partials[0]);
}

static void
test_ref_counting (void)
{
  g_autoptr(GError) error = NULL;
  TcMustacheTemplate *tpl = tc_mustache_parse ("x", -1, &error);
  TcMustachePartials *partials = tc_mustache_partials_new (NULL);
  g_autoptr(TcMustacheTemplate) looked_up = NULL;

  g_assert_true (tc_mustache_template_ref (tpl) == tpl);
  tc_mustache_template_unref (tpl);
  g_assert_cmpstr (tc_mustache_template_get_source (tpl), ==, "x");
  tc_mustache_template_unref (tpl);

  tc_mustache_partials_add (partials, "p", "{{a}}");
  g_assert_true (tc_mustache_partials_ref (partials) == partials);
  tc_mustache_partials_unref (partials);
  looked_up = tc_mustache_partials_lookup (partials, "p", &error);
  g_assert_no_error (error);
  g_assert_nonnull (looked_up);
  tc_mustache_partials_unref (partials);
  /* The partial outlives its set. */
  g_assert_cmpstr (tc_mustache_template_get_source (looked_up), ==, "{{a}}");

  g_assert_true (G_TYPE_IS_BOXED (TC_TYPE_MUSTACHE_TEMPLATE));
  g_assert_true (G_TYPE_IS_BOXED (TC_TYPE_MUSTACHE_PARTIALS));
}

static void
test_partials_lookup (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) sources = parse_json ("{\"a\":\"A{{x}}\",\"b\":\"B\",\"n\":1}");
  g_autoptr(TcMustachePartials) partials = NULL;
  g_autoptr(TcMustacheTemplate) a1 = NULL;
  g_autoptr(TcMustacheTemplate) a2 = NULL;
  g_autoptr(TcMustacheTemplate) b = NULL;
  g_autoptr(TcMustacheTemplate) n = NULL;
  g_autoptr(TcMustacheTemplate) none = NULL;

  partials = tc_mustache_partials_new (json_node_get_object (sources));
  a1 = tc_mustache_partials_lookup (partials, "a", &error);
  g_assert_no_error (error);
  a2 = tc_mustache_partials_lookup (partials, "a", &error);
  g_assert_true (a1 == a2); /* compiled once, then cached */

  /* An added source wins over the object's. */
  tc_mustache_partials_add (partials, "b", "added");
  b = tc_mustache_partials_lookup (partials, "b", &error);
  g_assert_cmpstr (tc_mustache_template_get_source (b), ==, "added");

  n = tc_mustache_partials_lookup (partials, "n", &error);
  g_assert_no_error (error);
  g_assert_null (n);
  none = tc_mustache_partials_lookup (partials, "none", &error);
  g_assert_no_error (error);
  g_assert_null (none);
}

/* The data for a contact. */

static void
test_contact_vars (void)
{
  g_autoptr(TcContact) contact = tc_contact_new ();
  g_autoptr(JsonNode) vars = NULL;
  g_autoptr(JsonNode) bare_vars = NULL;
  g_autoptr(JsonNode) event = parse_json ("{\"cart_url\":\"https://s.example/c/1\","
                                          "\"items\":[{\"name\":\"Shoes\"}]}");
  const char *tags[] = { "newsletter", "vip", NULL };
  g_autofree char *json = NULL;
  g_autofree char *bare_json = NULL;

  tc_contact_set_phone (contact, "+14155552671");
  tc_contact_set_first_name (contact, "Ana");
  tc_contact_set_last_name (contact, "");
  tc_contact_set_email (contact, "ana@example.com");
  tc_contact_set_language (contact, "es");
  tc_contact_set_country (contact, "US");
  tc_contact_set_tags (contact, tags);
  tc_contact_set_attribute (contact, "loyalty_points", "120");
  tc_contact_set_attribute (contact, "first_name", "clash");
  tc_contact_set_attribute (contact, "brand", "attr-brand");
  tc_contact_set_attribute (contact, "city", "Austin");

  vars = tc_mustache_vars_new_for_contact (contact, "Acme", json_node_get_object (event));
  json = json_to_string (vars, FALSE);
  g_assert_cmpstr (json, ==,
                   "{\"first_name\":\"Ana\",\"last_name\":null,\"phone\":\"+14155552671\","
                   "\"email\":\"ana@example.com\",\"language\":\"es\",\"country\":\"US\","
                   "\"tags\":[\"newsletter\",\"vip\"],\"brand\":\"Acme\","
                   "\"event\":{\"cart_url\":\"https://s.example/c/1\","
                   "\"items\":[{\"name\":\"Shoes\"}]},"
                   "\"city\":\"Austin\",\"loyalty_points\":\"120\","
                   "\"attributes\":{\"brand\":\"attr-brand\",\"city\":\"Austin\","
                   "\"first_name\":\"clash\",\"loyalty_points\":\"120\"}}");

  /* And a template over it, as a journey's cart reminder would use it. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TcMustacheTemplate) tpl = NULL;
    g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *output = NULL;
    g_autofree char *joined = NULL;

    tpl = tc_mustache_parse ("Hi {{first_name|there}} {{last_name}}, {{brand}}: "
                             "{{#event.items}}{{name}}{{/event.items}} {{event.cart_url}} "
                             "({{loyalty_points}} pts, {{attributes.brand}}) {{tags}}",
                             -1, &error);
    g_assert_no_error (error);
    output = tc_mustache_render (tpl, vars, NULL, TC_MUSTACHE_ESCAPE_NONE, missing, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (output, ==, "Hi Ana , Acme: Shoes https://s.example/c/1 "
                                 "(120 pts, attr-brand) newsletter, vip");
    joined = join_missing (missing);
    g_assert_cmpstr (joined, ==, "last_name");
  }

  /* Without brand nor event, both are null, so reported when used. */
  {
    g_autoptr(TcContact) bare = tc_contact_new ();

    tc_contact_set_phone (bare, "+447400123456");
    bare_vars = tc_mustache_vars_new_for_contact (bare, NULL, NULL);
    bare_json = json_to_string (bare_vars, FALSE);
    g_assert_cmpstr (bare_json, ==,
                     "{\"first_name\":null,\"last_name\":null,\"phone\":\"+447400123456\","
                     "\"email\":null,\"language\":null,\"country\":null,\"tags\":[],"
                     "\"brand\":null,\"event\":null,\"attributes\":{}}");
  }
}

/* The specification's own tests. */

typedef struct
{
  char     *file;
  char     *name;
  JsonNode *test;
} SpecCase;

static void
spec_case_free (gpointer data)
{
  SpecCase *c = data;

  g_free (c->file);
  g_free (c->name);
  json_node_unref (c->test);
  g_free (c);
}

static void
test_spec_case (gconstpointer data)
{
  const SpecCase *c = data;
  JsonObject *test = json_node_get_object (c->test);
  const char *source = json_object_get_string_member (test, "template");
  const char *expected = json_object_get_string_member (test, "expected");
  JsonNode *root = json_object_get_member (test, "data");
  g_autoptr(TcMustachePartials) partials = NULL;
  g_autoptr(TcMustacheTemplate) tpl = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;

  if (json_object_has_member (test, "partials"))
    partials = tc_mustache_partials_new (json_object_get_object_member (test, "partials"));

  tpl = tc_mustache_parse (source, -1, &error);
  g_assert_no_error (error);
  output = tc_mustache_render (tpl, root, partials, TC_MUSTACHE_ESCAPE_HTML, NULL, &error);
  g_assert_no_error (error);
  if (g_strcmp0 (output, expected) != 0)
    g_test_message ("%s: “%s”", c->file, c->name);
  g_assert_cmpstr (output, ==, expected);
}

static void
test_spec_missing (void)
{
  g_test_skip ("no copy of the Mustache specification (set TEXTCAST_MUSTACHE_SPEC_DIR)");
}

static char *
path_part (const char *name)
{
  GString *part = g_string_new (NULL);

  for (const char *p = name; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (part, g_ascii_tolower (*p));
      else if (part->len > 0 && part->str[part->len - 1] != '-')
        g_string_append_c (part, '-');
    }
  while (part->len > 0 && part->str[part->len - 1] == '-')
    g_string_truncate (part, part->len - 1);

  return g_string_free (part, FALSE);
}

static void
add_spec_tests (GPtrArray *spec_cases)
{
  static const char * const files[] = {
    "interpolation", "sections", "inverted", "comments", "delimiters", "partials",
  };
  const char *dir = g_getenv ("TEXTCAST_MUSTACHE_SPEC_DIR");

  if (dir == NULL)
    dir = DEFAULT_SPEC_DIR;

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_add_func ("/tc/mustache/spec", test_spec_missing);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *basename = g_strconcat (files[i], ".json", NULL);
      g_autofree char *path = g_build_filename (dir, basename, NULL);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonArray *tests;

      json_parser_load_from_file (parser, path, &error);
      g_assert_no_error (error);
      tests = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                            "tests");
      for (guint k = 0; k < json_array_get_length (tests); k++)
        {
          JsonNode *test = json_array_get_element (tests, k);
          SpecCase *c = g_new0 (SpecCase, 1);
          g_autofree char *part = NULL;
          g_autofree char *test_path = NULL;

          c->file = g_strdup (files[i]);
          c->name = g_strdup (json_object_get_string_member (json_node_get_object (test),
                                                             "name"));
          c->test = json_node_ref (test);
          part = path_part (c->name);
          test_path = g_strdup_printf ("/tc/mustache/spec/%s/%02u-%s", files[i], k, part);
          g_ptr_array_add (spec_cases, c);
          g_test_add_data_func (test_path, c, test_spec_case);
        }
    }
}

/* textcast-cli template render */

typedef struct
{
  int   status;
  char *out;
  char *err;
} CliResult;

static void
cli_result_clear (CliResult *result)
{
  g_free (result->out);
  g_free (result->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliResult, cli_result_clear)

static char *
bytes_to_string (GBytes *bytes)
{
  gsize size = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &size) : NULL;

  return size > 0 ? g_strndup (data, size) : g_strdup ("");
}

static gboolean
run_cli (const char  *input,
         CliResult   *result,
         ...)
{
  const char *cli = g_getenv ("TEXTCAST_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) stdin_bytes = NULL;
  g_autoptr(GBytes) stdout_bytes = NULL;
  g_autoptr(GBytes) stderr_bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;

  if (cli == NULL || !g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("TEXTCAST_CLI is not set to the built textcast-cli");
      return FALSE;
    }

  g_ptr_array_add (argv, (gpointer) cli);
  va_start (args, result);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);

  stdin_bytes = g_bytes_new (input, strlen (input));
  g_subprocess_communicate (process, stdin_bytes, NULL, &stdout_bytes, &stderr_bytes, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));

  result->status = g_subprocess_get_exit_status (process);
  result->out = bytes_to_string (stdout_bytes);
  result->err = bytes_to_string (stderr_bytes);

  return TRUE;
}

static void
test_cli_render (void)
{
  g_auto(CliResult) r = { 0 };

  if (!run_cli ("Hi {{name}} & {{n}}\n", &r, "template", "render", "--data",
                "{\"name\":\"<Ana>\",\"n\":1.5}", NULL))
    return;
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "Hi &lt;Ana&gt; & 1.5\n");
  g_assert_cmpstr (r.err, ==, "");
}

static void
test_cli_render_exact (void)
{
  g_auto(CliResult) r = { 0 };
  g_auto(CliResult) empty = { 0 };

  /* No newline is added, and none is removed. */
  if (!run_cli ("Hi {{first_name|there}}", &r, "template", "render", "--data", "{}", NULL))
    return;
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "Hi there");
  g_assert_cmpstr (r.err, ==, "");

  run_cli ("", &empty, "template", "render", "--data", "{}", NULL);
  g_assert_cmpint (empty.status, ==, 0);
  g_assert_cmpstr (empty.out, ==, "");

  /* Options before the command (--db is accepted and not used). */
  {
    g_auto(CliResult) before = { 0 };

    run_cli ("{{#l}}{{.}}\r\n{{/l}}", &before, "--db", "/nonexistent/x.db", "--escape", "none",
             "template", "--data={\"l\":[\"<a>\",2]}", "render", NULL);
    g_assert_cmpint (before.status, ==, 0);
    g_assert_cmpstr (before.out, ==, "<a>\r\n2\r\n");
    g_assert_cmpstr (before.err, ==, "");
  }
}

static void
test_cli_render_escape_none (void)
{
  g_auto(CliResult) r = { 0 };
  g_auto(CliResult) html = { 0 };

  if (!run_cli ("{{s}}", &r, "template", "render", "--escape", "none", "--data",
                "{\"s\":\"<b> & \\\"q\\\"\"}", NULL))
    return;
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "<b> & \"q\"");

  run_cli ("{{s}}", &html, "template", "render", "--data", "{\"s\":\"<\"}", "--escape=html",
           NULL);
  g_assert_cmpint (html.status, ==, 0);
  g_assert_cmpstr (html.out, ==, "&lt;");
}

static void
test_cli_render_partials (void)
{
  g_auto(CliResult) r = { 0 };

  if (!run_cli ("Sale\n  {{>footer}}\n", &r, "template", "render", "--partials",
                "{\"footer\":\"{{brand}}\\nReply STOP to opt out\\n\"}", "--data",
                "{\"brand\":\"Acme\"}", NULL))
    return;
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "Sale\n  Acme\n  Reply STOP to opt out\n");
  g_assert_cmpstr (r.err, ==, "");
}

static void
test_cli_render_missing (void)
{
  g_auto(CliResult) r = { 0 };

  if (!run_cli ("Hi {{first_name}} {{event.url}}{{first_name}}{{>footer}}", &r, "template",
                "render", "--data", "{\"first_name\":null}", NULL))
    return;
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "Hi  ");
  g_assert_cmpstr (r.err, ==, "textcast-cli: missing variables: first_name, event.url, >footer\n");
}

static void
test_cli_render_bad_data (void)
{
  g_auto(CliResult) r = { 0 };
  g_auto(CliResult) p = { 0 };
  g_auto(CliResult) q = { 0 };

  if (!run_cli ("x", &r, "template", "render", "--data", "{\"a\":", NULL))
    return;
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_true (g_str_has_prefix (r.err, "textcast-cli: --data: "));
  g_assert_true (g_str_has_suffix (r.err, "\n"));
  g_assert_cmpuint (strlen (r.err), >, strlen ("textcast-cli: --data: \n"));

  run_cli ("x", &p, "template", "render", "--data", "{}", "--partials", "[1", NULL);
  g_assert_cmpint (p.status, ==, 1);
  g_assert_true (g_str_has_prefix (p.err, "textcast-cli: --partials: "));

  run_cli ("x", &q, "template", "render", "--data", "{}", "--partials", "[\"a\"]", NULL);
  g_assert_cmpint (q.status, ==, 1);
  g_assert_cmpstr (q.err, ==,
                   "textcast-cli: --partials: expected a JSON object of partial name → "
                   "template\n");
}

static void
test_cli_render_parse_error (void)
{
  g_auto(CliResult) r = { 0 };
  g_auto(CliResult) p = { 0 };

  if (!run_cli ("Hi {{first_name}},\nyour items: {{#items}}{{name}}", &r, "template", "render",
                "--data", "{}", NULL))
    return;
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_cmpstr (r.err, ==,
                   "textcast-cli: template: line 2, column 13: section “items” is opened but "
                   "never closed\n");

  run_cli ("{{>f}}", &p, "template", "render", "--data", "{}", "--partials",
           "{\"f\":\"{{/x}}\"}", NULL);
  g_assert_cmpint (p.status, ==, 1);
  g_assert_cmpstr (p.out, ==, "");
  g_assert_cmpstr (p.err, ==,
                   "textcast-cli: partial “f”: line 1, column 1: closing tag “x” has no open "
                   "section\n");
}

static void
test_cli_render_usage (void)
{
  static const char * const usages[][6] = {
    { "template", "render", NULL },                                  /* no --data */
    { "template", "render", "--data", NULL },                        /* no value */
    { "template", "render", "--data", "{}", "--escape", "xml" },     /* bad escape */
    { "template", "render", "--data", "{}", "extra", NULL },         /* extra word */
    { "template", "render", "--data", "{}", "--bogus", NULL },       /* unknown option */
    { "template", "frobnicate", "--data", "{}", NULL },              /* unknown command */
  };

  for (guint i = 0; i < G_N_ELEMENTS (usages); i++)
    {
      g_auto(CliResult) r = { 0 };

      if (!run_cli ("x", &r, usages[i][0], usages[i][1], usages[i][2], usages[i][3],
                    usages[i][4], usages[i][5], NULL))
        return;
      g_test_message ("usage case %u: %.*s", i, (int) strcspn (r.err, "\n"), r.err);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_cmpstr (r.out, ==, "");
      g_assert_cmpstr (r.err, !=, "");
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) spec_cases = g_ptr_array_new_with_free_func (spec_case_free);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  int status;

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (render_cases); i++)
    {
      char *path = g_strconcat ("/tc/mustache/render/", render_cases[i].path, NULL);

      g_ptr_array_add (paths, path);
      g_test_add_data_func (path, &render_cases[i], test_render_case);
    }
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      char *path = g_strconcat ("/tc/mustache/parse-error/", error_cases[i].path, NULL);

      g_ptr_array_add (paths, path);
      g_test_add_data_func (path, &error_cases[i], test_error_case);
    }
  g_test_add_func ("/tc/mustache/parse-error/nul-byte", test_error_nul_byte);
  g_test_add_func ("/tc/mustache/parse-error/nesting", test_error_nesting);
  g_test_add_func ("/tc/mustache/parse/len", test_len);
  g_test_add_func ("/tc/mustache/render-error/partial", test_render_partial_error);
  g_test_add_func ("/tc/mustache/render-error/partial-depth", test_render_partial_depth);
  g_test_add_func ("/tc/mustache/render-error/nesting-limit", test_render_nesting_limit);
  g_test_add_func ("/tc/mustache/render-error/output-limit", test_render_output_limit);
  g_test_add_func ("/tc/mustache/render-error/step-limit", test_render_step_limit);
  g_test_add_func ("/tc/mustache/api/render-to-appends", test_render_to_appends);
  g_test_add_func ("/tc/mustache/api/missing-accumulates", test_missing_accumulates);
  g_test_add_func ("/tc/mustache/api/null-data", test_null_data);
  g_test_add_func ("/tc/mustache/api/custom-escape", test_custom_escape);
  g_test_add_func ("/tc/mustache/api/escape-strings", test_escape_strings);
  g_test_add_func ("/tc/mustache/api/variables", test_variables);
  g_test_add_func ("/tc/mustache/api/variables-empty", test_variables_empty);
  g_test_add_func ("/tc/mustache/api/ref-counting", test_ref_counting);
  g_test_add_func ("/tc/mustache/api/partials-lookup", test_partials_lookup);
  g_test_add_func ("/tc/mustache/vars/contact", test_contact_vars);
  add_spec_tests (spec_cases);
  g_test_add_func ("/tc/mustache/cli/render", test_cli_render);
  g_test_add_func ("/tc/mustache/cli/render-exact", test_cli_render_exact);
  g_test_add_func ("/tc/mustache/cli/escape-none", test_cli_render_escape_none);
  g_test_add_func ("/tc/mustache/cli/partials", test_cli_render_partials);
  g_test_add_func ("/tc/mustache/cli/missing", test_cli_render_missing);
  g_test_add_func ("/tc/mustache/cli/bad-data", test_cli_render_bad_data);
  g_test_add_func ("/tc/mustache/cli/parse-error", test_cli_render_parse_error);
  g_test_add_func ("/tc/mustache/cli/usage", test_cli_render_usage);

  status = g_test_run ();

  return status;
}
