/* test-wa-template.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * WhatsApp templates: validation rules and their messages, the Cloud API
 * JSON (create and send), storage round trip; and media checks.
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "tc-media.h"
#include "tc-wa-template.h"

/* A valid marketing template using every part. */
static TcWaTemplate *
make_template (void)
{
  TcWaTemplate *self = tc_wa_template_new ("spring_sale_2026", "en_US", TC_WA_CATEGORY_MARKETING);

  tc_wa_template_set_header_format (self, TC_WA_HEADER_TEXT);
  tc_wa_template_set_header_text (self, "Our {{1}} is on!");
  tc_wa_template_set_header_example (self, "Spring Sale");
  tc_wa_template_set_header_binding (self, "{{campaign.title|Spring Sale}}");
  tc_wa_template_set_body (self, "Hi {{1}}, shop through {{2}} with code {{3}} for 20% off.");
  tc_wa_template_set_body_param (self, 1, "Mark", "{{first_name|there}}");
  tc_wa_template_set_body_param (self, 2, "May 31", "{{event.ends_on}}");
  tc_wa_template_set_body_param (self, 3, "SPRING20", "{{event.code}}");
  tc_wa_template_set_footer (self, "Larkspur & Co.");
  tc_wa_template_add_button (self, TC_WA_BUTTON_QUICK_REPLY, "Stop promotions", NULL, NULL,
                             "STOP_PROMOS");
  tc_wa_template_add_button (self, TC_WA_BUTTON_QUICK_REPLY, "Remind me", NULL, NULL, NULL);
  tc_wa_template_add_button (self, TC_WA_BUTTON_URL, "Shop now",
                             "https://shop.example/sale/{{1}}", "spring", "{{event.slug}}");
  tc_wa_template_add_button (self, TC_WA_BUTTON_PHONE_NUMBER, "Call us", "+16467043595",
                             NULL, NULL);
  tc_wa_template_add_button (self, TC_WA_BUTTON_COPY_CODE, NULL, NULL, "SPRING20",
                             "{{event.code}}");

  return self;
}

static void
assert_json_equal (JsonNode   *node,
                   const char *expected_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) expected = json_from_string (expected_json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  if (!json_node_equal (node, expected))
    {
      g_autofree char *got = json_to_string (node, TRUE);
      g_autofree char *want = json_to_string (expected, TRUE);

      g_test_message ("got:\n%s\nexpected:\n%s", got, want);
      g_assert_not_reached ();
    }
}

static void
test_valid (void)
{
  g_autoptr(TcWaTemplate) self = make_template ();
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (tc_wa_template_validate (self, &problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_true (tc_wa_template_validate (self, NULL, NULL));
  g_assert_cmpuint (tc_wa_template_get_n_body_params (self), ==, 3);
}

typedef void (*Mutate) (TcWaTemplate *self);

static void set_name_upper (TcWaTemplate *s) { tc_wa_template_set_name (s, "Spring-Sale"); }
static void set_name_empty (TcWaTemplate *s) { tc_wa_template_set_name (s, ""); }
static void
set_name_long (TcWaTemplate *s)
{
  g_autofree char *name = g_strnfill (513, 'a');

  tc_wa_template_set_name (s, name);
}
static void set_language_bad (TcWaTemplate *s) { tc_wa_template_set_language (s, "English"); }
static void set_language_dash (TcWaTemplate *s) { tc_wa_template_set_language (s, "pt-BR"); }
static void set_auth (TcWaTemplate *s) { tc_wa_template_set_category (s, TC_WA_CATEGORY_AUTHENTICATION); }
static void
set_header_long (TcWaTemplate *s)
{
  tc_wa_template_set_header_text (s, "Our {{1}} is on, with more deals than ever before in all our stores!!");
}
static void set_header_empty (TcWaTemplate *s) { tc_wa_template_set_header_text (s, " "); }
static void set_header_two (TcWaTemplate *s) { tc_wa_template_set_header_text (s, "{{1}} and {{2}}"); }
static void set_header_num (TcWaTemplate *s) { tc_wa_template_set_header_text (s, "Our {{2}} sale"); }
static void set_header_nl (TcWaTemplate *s) { tc_wa_template_set_header_text (s, "Our {{1}}\nsale"); }
static void set_header_noex (TcWaTemplate *s) { tc_wa_template_set_header_example (s, NULL); }
static void set_header_nobind (TcWaTemplate *s) { tc_wa_template_set_header_binding (s, ""); }
static void
set_header_image_noex (TcWaTemplate *s)
{
  tc_wa_template_set_header_format (s, TC_WA_HEADER_IMAGE);
  tc_wa_template_set_header_example (s, NULL);
}
static void
set_header_video_nolink (TcWaTemplate *s)
{
  tc_wa_template_set_header_format (s, TC_WA_HEADER_VIDEO);
  tc_wa_template_set_header_binding (s, NULL);
}
static void set_body_empty (TcWaTemplate *s) { tc_wa_template_set_body (s, "  \n"); }
static void
set_body_long (TcWaTemplate *s)
{
  g_autoptr(GString) body = g_string_new ("Hi {{1}}, ");

  while (body->len < 1030)
    g_string_append (body, "sale ");
  g_string_append (body, "ok {{2}} and {{3}}.");
  tc_wa_template_set_body (s, body->str);
}
static void set_body_start (TcWaTemplate *s) { tc_wa_template_set_body (s, "{{1}}, shop through {{2}} with code {{3}} now."); }
static void set_body_start_space (TcWaTemplate *s) { tc_wa_template_set_body (s, "  {{1}}, shop through {{2}} with code {{3}} now."); }
static void set_body_end (TcWaTemplate *s) { tc_wa_template_set_body (s, "Hi {{1}}, shop through {{2}} with code {{3}}"); }
static void set_body_end_space (TcWaTemplate *s) { tc_wa_template_set_body (s, "Hi {{1}}, shop through {{2}} with code {{3}} \n"); }
static void set_body_adjacent (TcWaTemplate *s) { tc_wa_template_set_body (s, "Hi {{1}} {{2}}, use code {{3}} today."); }
static void set_body_gap (TcWaTemplate *s) { tc_wa_template_set_body (s, "Hi {{1}}, use code {{3}} today."); }
static void set_body_zero (TcWaTemplate *s) { tc_wa_template_set_body (s, "Hi {{0}}, use code {{1}} today."); }
static void set_body_named (TcWaTemplate *s) { tc_wa_template_set_body (s, "Hi {{first_name}}, code {{1}} {{2}} {{3}} ends soon."); }
static void set_body_mustache_triple (TcWaTemplate *s) { tc_wa_template_set_body (s, "Hi {{{1}}}, code {{1}}, {{2}}, {{3}} ends soon."); }
static void set_body_noex (TcWaTemplate *s) { tc_wa_template_set_body_param (s, 3, "", "{{event.code}}"); }
static void set_body_nobind (TcWaTemplate *s) { tc_wa_template_set_body_param (s, 2, "May 31", NULL); }
static void set_body_more (TcWaTemplate *s) { tc_wa_template_set_body (s, "Hi {{1}}, {{2}}, {{3}}, {{4}}!"); tc_wa_template_set_body_param (s, 4, "x", "{{x}}"); }
static void
set_footer_long (TcWaTemplate *s)
{
  tc_wa_template_set_footer (s, "Larkspur & Co. - 12 Garden Row, Springfield - shop.example/help");
}
static void set_footer_param (TcWaTemplate *s) { tc_wa_template_set_footer (s, "Hi {{1}}"); }
static void
set_buttons_eleven (TcWaTemplate *s)
{
  for (guint i = 0; i < 6; i++)
    tc_wa_template_add_button (s, TC_WA_BUTTON_QUICK_REPLY, "More", NULL, NULL, NULL);
}
static void
set_buttons_url3 (TcWaTemplate *s)
{
  tc_wa_template_add_button (s, TC_WA_BUTTON_URL, "Help", "https://shop.example/help", NULL, NULL);
  tc_wa_template_add_button (s, TC_WA_BUTTON_URL, "Blog", "https://shop.example/blog", NULL, NULL);
}
static void
set_buttons_phone2 (TcWaTemplate *s)
{
  tc_wa_template_add_button (s, TC_WA_BUTTON_PHONE_NUMBER, "Call", "+14155550100", NULL, NULL);
}
static void
set_buttons_copy2 (TcWaTemplate *s)
{
  tc_wa_template_add_button (s, TC_WA_BUTTON_COPY_CODE, NULL, NULL, "OTHER", "{{x}}");
}
static void
set_buttons_qr_split (TcWaTemplate *s)
{
  tc_wa_template_add_button (s, TC_WA_BUTTON_QUICK_REPLY, "Later", NULL, NULL, NULL);
}
static void
set_button_text_long (TcWaTemplate *s)
{
  tc_wa_template_remove_button (s, 1);
  tc_wa_template_add_button (s, TC_WA_BUTTON_URL, "Discover the whole collection", "https://shop.example/c", NULL, NULL);
}
static void
set_button_text_empty (TcWaTemplate *s)
{
  tc_wa_template_remove_button (s, 3);
  tc_wa_template_add_button (s, TC_WA_BUTTON_PHONE_NUMBER, "", "+16467043595", NULL, NULL);
}
static void
replace_url (TcWaTemplate *s,
             const char   *url,
             const char   *example,
             const char   *binding)
{
  tc_wa_template_remove_button (s, 2);
  tc_wa_template_add_button (s, TC_WA_BUTTON_URL, "Shop now", url, example, binding);
}
static void set_url_empty (TcWaTemplate *s) { replace_url (s, "", NULL, NULL); }
static void set_url_scheme (TcWaTemplate *s) { replace_url (s, "ftp://shop.example/x", NULL, NULL); }
static void set_url_nohost (TcWaTemplate *s) { replace_url (s, "https:///x", NULL, NULL); }
static void set_url_middle (TcWaTemplate *s) { replace_url (s, "https://shop.example/{{1}}/cart", "a", "{{a}}"); }
static void set_url_two (TcWaTemplate *s) { replace_url (s, "https://shop.example/{{1}}{{2}}", "a", "{{a}}"); }
static void set_url_named (TcWaTemplate *s) { replace_url (s, "https://shop.example/{{slug}}", "a", "{{a}}"); }
static void set_url_noex (TcWaTemplate *s) { replace_url (s, "https://shop.example/s/{{1}}", NULL, "{{a}}"); }
static void set_url_nobind (TcWaTemplate *s) { replace_url (s, "https://shop.example/s/{{1}}", "a", NULL); }
static void
set_url_long (TcWaTemplate *s)
{
  g_autofree char *path = g_strnfill (2000, 'p');
  g_autofree char *url = g_strconcat ("https://shop.example/", path, NULL);

  replace_url (s, url, NULL, NULL);
}
static void
replace_phone (TcWaTemplate *s,
               const char   *phone)
{
  tc_wa_template_remove_button (s, 3);
  tc_wa_template_add_button (s, TC_WA_BUTTON_PHONE_NUMBER, "Call us", phone, NULL, NULL);
}
static void set_phone_local (TcWaTemplate *s) { replace_phone (s, "(646) 704-3595"); }
static void set_phone_short (TcWaTemplate *s) { replace_phone (s, "+12345"); }
static void set_phone_null (TcWaTemplate *s) { replace_phone (s, NULL); }
static void
replace_code (TcWaTemplate *s,
              const char   *example,
              const char   *binding)
{
  tc_wa_template_remove_button (s, 4);
  tc_wa_template_add_button (s, TC_WA_BUTTON_COPY_CODE, NULL, NULL, example, binding);
}
static void set_code_noex (TcWaTemplate *s) { replace_code (s, NULL, "{{c}}"); }
static void set_code_long (TcWaTemplate *s) { replace_code (s, "SPRING2026-VIP-GOLD", "{{c}}"); }
static void set_code_nobind (TcWaTemplate *s) { replace_code (s, "SPRING20", NULL); }

static void
test_rules (void)
{
  static const struct
  {
    Mutate mutate;
    TcWaPart part;
    int button;
    const char *rule;
    const char *message;
  } cases[] = {
    { set_name_upper, TC_WA_PART_NAME, -1, "name.characters",
      "Name: only lowercase letters, digits and underscores are allowed, not “S”" },
    { set_name_empty, TC_WA_PART_NAME, -1, "name.empty", "Name: a name is required" },
    { set_name_long, TC_WA_PART_NAME, -1, "name.length", "Name: 513 characters; the limit is 512" },
    { set_language_bad, TC_WA_PART_LANGUAGE, -1, "language.code",
      "Language: “English” is not a language code such as en, en_US or pt_BR" },
    { set_language_dash, TC_WA_PART_LANGUAGE, -1, "language.code",
      "Language: “pt-BR” is not a language code such as en, en_US or pt_BR" },
    { set_auth, TC_WA_PART_CATEGORY, -1, "category.authentication",
      "Category: authentication templates use Meta's fixed passcode text and one-time-password "
      "buttons, which Textcast does not create; choose MARKETING or UTILITY" },
    { set_header_long, TC_WA_PART_HEADER, -1, "header.text-length",
      "Header: text is 69 characters; the limit is 60" },
    { set_header_empty, TC_WA_PART_HEADER, -1, "header.text-empty", "Header: a text header needs text" },
    { set_header_two, TC_WA_PART_HEADER, -1, "header.param-count",
      "Header: text has 2 parameters; at most one ({{1}}) is allowed" },
    { set_header_num, TC_WA_PART_HEADER, -1, "header.param-number",
      "Header: “{{2}}” is not allowed; the header's parameter is {{1}}" },
    { set_header_nl, TC_WA_PART_HEADER, -1, "header.newline", "Header: text must be a single line" },
    { set_header_noex, TC_WA_PART_HEADER, -1, "header.param-example",
      "Header: parameter {{1}} has no example value" },
    { set_header_nobind, TC_WA_PART_HEADER, -1, "header.param-binding",
      "Header: parameter {{1}} is not bound to a value (e.g. {{first_name}})" },
    { set_header_image_noex, TC_WA_PART_HEADER, -1, "header.media-example",
      "Header: an image header needs an example (a media handle from Meta's upload API)" },
    { set_header_video_nolink, TC_WA_PART_HEADER, -1, "header.media-binding",
      "Header: a video header needs the link of the media to send" },
    { set_body_empty, TC_WA_PART_BODY, -1, "body.empty", "Body: text is required" },
    { set_body_long, TC_WA_PART_BODY, -1, "body.length",
      "Body: text is 1049 characters; the limit is 1024" },
    { set_body_start, TC_WA_PART_BODY, -1, "body.param-at-start",
      "Body: can't start with a parameter ({{1}}); put some text before it" },
    { set_body_start_space, TC_WA_PART_BODY, -1, "body.param-at-start",
      "Body: can't start with a parameter ({{1}}); put some text before it" },
    { set_body_end, TC_WA_PART_BODY, -1, "body.param-at-end",
      "Body: can't end with a parameter ({{3}}); put some text after it" },
    { set_body_end_space, TC_WA_PART_BODY, -1, "body.param-at-end",
      "Body: can't end with a parameter ({{3}}); put some text after it" },
    { set_body_adjacent, TC_WA_PART_BODY, -1, "body.params-adjacent",
      "Body: parameters {{1}} and {{2}} have no text between them" },
    { set_body_gap, TC_WA_PART_BODY, -1, "body.param-sequence",
      "Body: parameters must be numbered from {{1}} to {{3}} without gaps; {{2}} is missing" },
    { set_body_zero, TC_WA_PART_BODY, -1, "body.param-malformed",
      "Body: “{{0}}” is not a parameter; parameters are written {{1}}, {{2}}, … and bound to "
      "a value such as {{first_name}}" },
    { set_body_named, TC_WA_PART_BODY, -1, "body.param-malformed",
      "Body: “{{first_name}}” is not a parameter; parameters are written {{1}}, {{2}}, … and "
      "bound to a value such as {{first_name}}" },
    { set_body_mustache_triple, TC_WA_PART_BODY, -1, "body.param-malformed",
      "Body: “{{{1}}}” is not a parameter; parameters are written {{1}}, {{2}}, … and bound to "
      "a value such as {{first_name}}" },
    { set_body_noex, TC_WA_PART_BODY, -1, "body.param-example",
      "Body: parameter {{3}} has no example value" },
    { set_body_nobind, TC_WA_PART_BODY, -1, "body.param-binding",
      "Body: parameter {{2}} is not bound to a value (e.g. {{first_name}})" },
    { set_body_more, TC_WA_PART_BODY, -1, "body.param-density",
      "Body: too many parameters for the length of the text (4 parameters, 1 words of fixed "
      "text); add text or remove parameters" },
    { set_footer_long, TC_WA_PART_FOOTER, -1, "footer.length",
      "Footer: text is 63 characters; the limit is 60" },
    { set_footer_param, TC_WA_PART_FOOTER, -1, "footer.params",
      "Footer: parameters are not allowed in the footer" },
    { set_buttons_eleven, TC_WA_PART_BUTTONS, -1, "buttons.count",
      "Buttons: 11 buttons; the limit is 10" },
    { set_buttons_url3, TC_WA_PART_BUTTONS, -1, "buttons.url-count",
      "Buttons: 3 URL buttons; the limit is 2" },
    { set_buttons_phone2, TC_WA_PART_BUTTONS, -1, "buttons.phone-count",
      "Buttons: 2 phone number buttons; the limit is 1" },
    { set_buttons_copy2, TC_WA_PART_BUTTONS, -1, "buttons.copy-code-count",
      "Buttons: 2 copy code buttons; the limit is 1" },
    { set_buttons_qr_split, TC_WA_PART_BUTTONS, -1, "buttons.quick-reply-grouping",
      "Buttons: quick replies must be next to each other; button 3 comes between them" },
    { set_button_text_long, TC_WA_PART_BUTTON, 4, "button.text-length",
      "Button 5: label is 29 characters; the limit is 25" },
    { set_button_text_empty, TC_WA_PART_BUTTON, 4, "button.text-empty",
      "Button 5: a label is required" },
    { set_url_empty, TC_WA_PART_BUTTON, 4, "button.url-empty", "Button 5: a URL is required" },
    { set_url_scheme, TC_WA_PART_BUTTON, 4, "button.url-invalid",
      "Button 5: “ftp://shop.example/x” is not a web address starting with https:// and a host" },
    { set_url_nohost, TC_WA_PART_BUTTON, 4, "button.url-invalid",
      "Button 5: “https:///x” is not a web address starting with https:// and a host" },
    { set_url_middle, TC_WA_PART_BUTTON, 4, "button.url-param",
      "Button 5: the URL can have one parameter, {{1}}, and only at its end" },
    { set_url_two, TC_WA_PART_BUTTON, 4, "button.url-param",
      "Button 5: the URL can have one parameter, {{1}}, and only at its end" },
    { set_url_named, TC_WA_PART_BUTTON, 4, "button.url-param",
      "Button 5: the URL can have one parameter, {{1}}, and only at its end" },
    { set_url_noex, TC_WA_PART_BUTTON, 4, "button.url-example",
      "Button 5: the URL parameter {{1}} has no example value" },
    { set_url_nobind, TC_WA_PART_BUTTON, 4, "button.url-binding",
      "Button 5: the URL parameter {{1}} is not bound to a value" },
    { set_url_long, TC_WA_PART_BUTTON, 4, "button.url-length",
      "Button 5: the URL is 2021 characters; the limit is 2000" },
    { set_phone_local, TC_WA_PART_BUTTON, 4, "button.phone-invalid",
      "Button 5: “(646) 704-3595” is not a phone number in international format (E.164, such "
      "as +16467043595)" },
    { set_phone_short, TC_WA_PART_BUTTON, 4, "button.phone-invalid",
      "Button 5: “+12345” is not a phone number in international format (E.164, such as "
      "+16467043595)" },
    { set_phone_null, TC_WA_PART_BUTTON, 4, "button.phone-invalid",
      "Button 5: “” is not a phone number in international format (E.164, such as "
      "+16467043595)" },
    { set_code_noex, TC_WA_PART_BUTTON, 4, "button.copy-code-example",
      "Button 5: the copy code button needs an example code" },
    { set_code_long, TC_WA_PART_BUTTON, 4, "button.copy-code-length",
      "Button 5: the example code is 19 characters; the limit is 15" },
    { set_code_nobind, TC_WA_PART_BUTTON, 4, "button.copy-code-binding",
      "Button 5: the code to copy is not bound to a value" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TcWaTemplate) self = make_template ();
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(GError) error = NULL;
      gboolean found = FALSE;

      g_test_message ("case %u: %s", i, cases[i].rule);
      cases[i].mutate (self);
      g_assert_false (tc_wa_template_validate (self, &problems, &error));
      g_assert_error (error, TC_WA_TEMPLATE_ERROR, TC_WA_TEMPLATE_ERROR_INVALID);
      g_assert_cmpuint (problems->len, >=, 1);
      g_assert_cmpstr (error->message, ==,
                       ((TcWaProblem *) g_ptr_array_index (problems, 0))->message);

      for (guint j = 0; j < problems->len; j++)
        {
          const TcWaProblem *problem = g_ptr_array_index (problems, j);

          if (g_strcmp0 (problem->rule, cases[i].rule) != 0)
            continue;
          found = TRUE;
          g_assert_cmpint (problem->part, ==, cases[i].part);
          g_assert_cmpint (problem->button, ==, cases[i].button);
          g_assert_cmpstr (problem->message, ==, cases[i].message);
        }
      if (!found)
        {
          for (guint j = 0; j < problems->len; j++)
            g_test_message ("  has %s", ((TcWaProblem *) g_ptr_array_index (problems, j))->rule);
        }
      g_assert_true (found);
    }
}

static void
test_all_problems (void)
{
  g_autoptr(TcWaTemplate) self = tc_wa_template_new ("Bad Name", "en_US", TC_WA_CATEGORY_UTILITY);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  static const char *const expected[] = {
    "name.characters",
    "body.param-sequence",
    "body.param-example",
    "body.param-binding",
    "body.param-at-start",
    "footer.params",
    "button.phone-invalid",
  };

  tc_wa_template_set_body (self, "{{2}} is ready for pickup at our store.");
  tc_wa_template_set_body_param (self, 2, NULL, NULL);
  tc_wa_template_set_footer (self, "{{1}}");
  tc_wa_template_add_button (self, TC_WA_BUTTON_PHONE_NUMBER, "Call", "555-0100", NULL, NULL);

  g_assert_false (tc_wa_template_validate (self, &problems, &error));
  g_assert_cmpstr (error->message, ==,
                   "Name: only lowercase letters, digits and underscores are allowed, not “B”");
  g_assert_cmpuint (problems->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < problems->len; i++)
    g_assert_cmpstr (((TcWaProblem *) g_ptr_array_index (problems, i))->rule, ==, expected[i]);
}

static void
test_create_json (void)
{
  g_autoptr(TcWaTemplate) self = make_template ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = tc_wa_template_build_create_request (self, &error);

  g_assert_no_error (error);
  assert_json_equal (node,
    "{"
    "  \"name\": \"spring_sale_2026\","
    "  \"language\": \"en_US\","
    "  \"category\": \"MARKETING\","
    "  \"components\": ["
    "    { \"type\": \"HEADER\", \"format\": \"TEXT\", \"text\": \"Our {{1}} is on!\","
    "      \"example\": { \"header_text\": [ \"Spring Sale\" ] } },"
    "    { \"type\": \"BODY\","
    "      \"text\": \"Hi {{1}}, shop through {{2}} with code {{3}} for 20% off.\","
    "      \"example\": { \"body_text\": [ [ \"Mark\", \"May 31\", \"SPRING20\" ] ] } },"
    "    { \"type\": \"FOOTER\", \"text\": \"Larkspur & Co.\" },"
    "    { \"type\": \"BUTTONS\", \"buttons\": ["
    "      { \"type\": \"QUICK_REPLY\", \"text\": \"Stop promotions\" },"
    "      { \"type\": \"QUICK_REPLY\", \"text\": \"Remind me\" },"
    "      { \"type\": \"URL\", \"text\": \"Shop now\","
    "        \"url\": \"https://shop.example/sale/{{1}}\", \"example\": [ \"spring\" ] },"
    "      { \"type\": \"PHONE_NUMBER\", \"text\": \"Call us\", \"phone_number\": \"16467043595\" },"
    "      { \"type\": \"COPY_CODE\", \"example\": \"SPRING20\" }"
    "    ] }"
    "  ]"
    "}");
}

static void
test_create_json_media (void)
{
  g_autoptr(TcWaTemplate) self = tc_wa_template_new ("order_receipt", "pt_BR", TC_WA_CATEGORY_UTILITY);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  tc_wa_template_set_header_format (self, TC_WA_HEADER_DOCUMENT);
  tc_wa_template_set_header_example (self, "4::YXBwbGljYXRpb24vcGRm:example-handle");
  tc_wa_template_set_header_binding (self, "{{event.receipt_url}}");
  tc_wa_template_set_body (self, "Obrigado pelo pedido! O recibo está acima.");
  tc_wa_template_add_button (self, TC_WA_BUTTON_URL, "Ajuda", "https://shop.example/ajuda",
                             NULL, NULL);

  node = tc_wa_template_build_create_request (self, &error);
  g_assert_no_error (error);
  assert_json_equal (node,
    "{ \"name\": \"order_receipt\", \"language\": \"pt_BR\", \"category\": \"UTILITY\","
    "  \"components\": ["
    "    { \"type\": \"HEADER\", \"format\": \"DOCUMENT\","
    "      \"example\": { \"header_handle\": [ \"4::YXBwbGljYXRpb24vcGRm:example-handle\" ] } },"
    "    { \"type\": \"BODY\", \"text\": \"Obrigado pelo pedido! O recibo está acima.\" },"
    "    { \"type\": \"BUTTONS\", \"buttons\": ["
    "      { \"type\": \"URL\", \"text\": \"Ajuda\", \"url\": \"https://shop.example/ajuda\" } ] }"
    "  ] }");
}

static void
test_create_json_invalid (void)
{
  g_autoptr(TcWaTemplate) self = make_template ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  tc_wa_template_set_footer (self, "Reply {{1}}");
  node = tc_wa_template_build_create_request (self, &error);
  g_assert_null (node);
  g_assert_error (error, TC_WA_TEMPLATE_ERROR, TC_WA_TEMPLATE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Footer: parameters are not allowed in the footer");
}

static void
test_send_json (void)
{
  g_autoptr(TcWaTemplate) self = make_template ();
  const char *body[] = { "Ana", "May 31", "SPRING20", NULL };
  const char *buttons[] = { "STOP_PROMOS", "", "spring-ana", "", "SPRING20", NULL };
  g_autoptr(TcWaSendValues) values = tc_wa_send_values_new ("Spring Sale", body, buttons);
  g_autoptr(TcWaSendValues) copy = tc_wa_send_values_copy (values);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = tc_wa_template_build_send_request (self, "+16505551234", copy, &error);

  g_assert_no_error (error);
  assert_json_equal (node,
    "{"
    "  \"messaging_product\": \"whatsapp\","
    "  \"recipient_type\": \"individual\","
    "  \"to\": \"+16505551234\","
    "  \"type\": \"template\","
    "  \"template\": {"
    "    \"name\": \"spring_sale_2026\","
    "    \"language\": { \"policy\": \"deterministic\", \"code\": \"en_US\" },"
    "    \"components\": ["
    "      { \"type\": \"header\", \"parameters\": [ { \"type\": \"text\", \"text\": \"Spring Sale\" } ] },"
    "      { \"type\": \"body\", \"parameters\": ["
    "        { \"type\": \"text\", \"text\": \"Ana\" },"
    "        { \"type\": \"text\", \"text\": \"May 31\" },"
    "        { \"type\": \"text\", \"text\": \"SPRING20\" } ] },"
    "      { \"type\": \"button\", \"sub_type\": \"quick_reply\", \"index\": \"0\","
    "        \"parameters\": [ { \"type\": \"payload\", \"payload\": \"STOP_PROMOS\" } ] },"
    "      { \"type\": \"button\", \"sub_type\": \"url\", \"index\": \"2\","
    "        \"parameters\": [ { \"type\": \"text\", \"text\": \"spring-ana\" } ] },"
    "      { \"type\": \"button\", \"sub_type\": \"copy_code\", \"index\": \"4\","
    "        \"parameters\": [ { \"type\": \"coupon_code\", \"coupon_code\": \"SPRING20\" } ] }"
    "    ]"
    "  }"
    "}");
}

static void
test_send_json_media (void)
{
  static const struct
  {
    TcWaHeaderFormat format;
    const char *expected_parameter;
  } cases[] = {
    { TC_WA_HEADER_IMAGE,
      "{ \"type\": \"image\", \"image\": { \"link\": \"https://cdn.example/h.jpg\" } }" },
    { TC_WA_HEADER_VIDEO,
      "{ \"type\": \"video\", \"video\": { \"link\": \"https://cdn.example/h.jpg\" } }" },
    { TC_WA_HEADER_DOCUMENT,
      "{ \"type\": \"document\", \"document\": { \"link\": \"https://cdn.example/h.jpg\" } }" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TcWaTemplate) self = tc_wa_template_new ("new_arrivals", "fr", TC_WA_CATEGORY_MARKETING);
      g_autoptr(TcWaSendValues) values = tc_wa_send_values_new ("https://cdn.example/h.jpg", NULL, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *expected = NULL;

      tc_wa_template_set_header_format (self, cases[i].format);
      tc_wa_template_set_header_example (self, "4::handle");
      tc_wa_template_set_header_binding (self, "https://cdn.example/h.jpg");
      tc_wa_template_set_body (self, "Nouveautés en boutique cette semaine.");
      tc_wa_template_add_button (self, TC_WA_BUTTON_PHONE_NUMBER, "Appeler", "+33142000000", NULL, NULL);
      tc_wa_template_add_button (self, TC_WA_BUTTON_URL, "Voir", "https://shop.example/new", NULL, NULL);
      g_assert_true (tc_wa_template_validate (self, NULL, NULL));

      node = tc_wa_template_build_send_request (self, "33612345678", values, &error);
      g_assert_no_error (error);
      expected = g_strdup_printf (
        "{ \"messaging_product\": \"whatsapp\", \"recipient_type\": \"individual\","
        "  \"to\": \"33612345678\", \"type\": \"template\","
        "  \"template\": { \"name\": \"new_arrivals\","
        "    \"language\": { \"policy\": \"deterministic\", \"code\": \"fr\" },"
        "    \"components\": [ { \"type\": \"header\", \"parameters\": [ %s ] } ] } }",
        cases[i].expected_parameter);
      assert_json_equal (node, expected);
    }
}

static void
test_send_json_errors (void)
{
  static const struct
  {
    const char *to;
    const char *header;
    const char *body[4];
    const char *buttons[6];
    int code;
    const char *message;
  } cases[] = {
    { "+16505551234", "Sale", { "Ana", "May 31", NULL }, { "", "", "x", "", "C", NULL },
      TC_WA_TEMPLATE_ERROR_MISSING_VALUE,
      "Body parameter {{3}}: no value; WhatsApp rejects empty parameters" },
    { "+16505551234", "Sale", { "Ana", "", "C", NULL }, { "", "", "x", "", "C", NULL },
      TC_WA_TEMPLATE_ERROR_MISSING_VALUE,
      "Body parameter {{2}}: no value; WhatsApp rejects empty parameters" },
    { "+16505551234", "Sale", { "Ana\nMaria", "May", "C", NULL }, { "", "", "x", "", "C", NULL },
      TC_WA_TEMPLATE_ERROR_INVALID,
      "Body parameter {{1}}: “Ana\nMaria” has a line break, a tab or more than four spaces in "
      "a row, which WhatsApp does not allow in parameters" },
    { "+16505551234", "Sale", { "Ana", "May     31", "C", NULL }, { "", "", "x", "", "C", NULL },
      TC_WA_TEMPLATE_ERROR_INVALID,
      "Body parameter {{2}}: “May     31” has a line break, a tab or more than four spaces in "
      "a row, which WhatsApp does not allow in parameters" },
    { "+16505551234", NULL, { "Ana", "May", "C", NULL }, { "", "", "x", "", "C", NULL },
      TC_WA_TEMPLATE_ERROR_MISSING_VALUE,
      "Header parameter {{1}}: no value; WhatsApp rejects empty parameters" },
    { "+16505551234", "Sale", { "Ana", "May", "C", NULL }, { "", "", "", "", "C", NULL },
      TC_WA_TEMPLATE_ERROR_MISSING_VALUE,
      "Button 3: no value; WhatsApp rejects empty parameters" },
    { "+16505551234", "Sale", { "Ana", "May", "C", NULL }, { "", "", "x", NULL },
      TC_WA_TEMPLATE_ERROR_MISSING_VALUE,
      "Button 5: no value; WhatsApp rejects empty parameters" },
    { "0612345678x", "Sale", { "Ana", "May", "C", NULL }, { "", "", "x", "", "C", NULL },
      TC_WA_TEMPLATE_ERROR_INVALID,
      "Recipient: “0612345678x” is not a phone number in E.164 format" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TcWaTemplate) self = make_template ();
      g_autoptr(TcWaSendValues) values = tc_wa_send_values_new (cases[i].header, cases[i].body,
                                                                cases[i].buttons);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = tc_wa_template_build_send_request (self, cases[i].to, values, &error);

      g_assert_null (node);
      g_assert_error (error, TC_WA_TEMPLATE_ERROR, cases[i].code);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }

  /* A media header needs a web link. */
  {
    g_autoptr(TcWaTemplate) self = tc_wa_template_new ("promo", "en", TC_WA_CATEGORY_MARKETING);
    g_autoptr(TcWaSendValues) missing = tc_wa_send_values_new (NULL, NULL, NULL);
    g_autoptr(TcWaSendValues) bad = tc_wa_send_values_new ("file:///tmp/a.png", NULL, NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = NULL;

    tc_wa_template_set_header_format (self, TC_WA_HEADER_IMAGE);
    tc_wa_template_set_body (self, "New in store.");
    node = tc_wa_template_build_send_request (self, "+16505551234", missing, &error);
    g_assert_null (node);
    g_assert_error (error, TC_WA_TEMPLATE_ERROR, TC_WA_TEMPLATE_ERROR_MISSING_VALUE);
    g_assert_cmpstr (error->message, ==, "Header: no link for the image");
    g_clear_error (&error);

    node = tc_wa_template_build_send_request (self, "+16505551234", bad, &error);
    g_assert_null (node);
    g_assert_error (error, TC_WA_TEMPLATE_ERROR, TC_WA_TEMPLATE_ERROR_INVALID);
    g_assert_cmpstr (error->message, ==, "Header: “file:///tmp/a.png” is not a web address for the image");
  }
}

static void
test_round_trip (void)
{
  g_autoptr(TcWaTemplate) self = make_template ();
  g_autoptr(TcWaTemplate) back = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(JsonNode) json2 = NULL;
  g_autoptr(GError) error = NULL;
  const TcWaButton *button;

  tc_wa_template_set_status (self, TC_WA_STATUS_REJECTED, "INVALID_FORMAT");
  tc_wa_template_set_body_param (self, 5, "kept", "{{kept}}");

  json = tc_wa_template_to_json (self);
  back = tc_wa_template_new_from_json (json, &error);
  g_assert_no_error (error);
  json2 = tc_wa_template_to_json (back);
  g_assert_true (json_node_equal (json, json2));

  g_assert_cmpstr (tc_wa_template_get_name (back), ==, "spring_sale_2026");
  g_assert_cmpstr (tc_wa_template_get_language (back), ==, "en_US");
  g_assert_cmpint (tc_wa_template_get_category (back), ==, TC_WA_CATEGORY_MARKETING);
  g_assert_cmpint (tc_wa_template_get_header_format (back), ==, TC_WA_HEADER_TEXT);
  g_assert_cmpstr (tc_wa_template_get_header_text (back), ==, "Our {{1}} is on!");
  g_assert_cmpstr (tc_wa_template_get_header_example (back), ==, "Spring Sale");
  g_assert_cmpstr (tc_wa_template_get_header_binding (back), ==, "{{campaign.title|Spring Sale}}");
  g_assert_cmpstr (tc_wa_template_get_body (back), ==, tc_wa_template_get_body (self));
  g_assert_cmpstr (tc_wa_template_get_body_param_example (back, 2), ==, "May 31");
  g_assert_cmpstr (tc_wa_template_get_body_param_binding (back, 1), ==, "{{first_name|there}}");
  g_assert_null (tc_wa_template_get_body_param_example (back, 4));
  g_assert_cmpstr (tc_wa_template_get_body_param_binding (back, 5), ==, "{{kept}}");
  g_assert_null (tc_wa_template_get_body_param_binding (back, 6));
  g_assert_cmpstr (tc_wa_template_get_footer (back), ==, "Larkspur & Co.");
  g_assert_cmpint (tc_wa_template_get_status (back), ==, TC_WA_STATUS_REJECTED);
  g_assert_cmpstr (tc_wa_template_get_rejection_reason (back), ==, "INVALID_FORMAT");
  g_assert_cmpuint (tc_wa_template_get_n_buttons (back), ==, 5);
  button = tc_wa_template_get_button (back, 2);
  g_assert_cmpint (button->type, ==, TC_WA_BUTTON_URL);
  g_assert_cmpstr (button->text, ==, "Shop now");
  g_assert_cmpstr (button->url, ==, "https://shop.example/sale/{{1}}");
  g_assert_cmpstr (button->example, ==, "spring");
  g_assert_cmpstr (button->binding, ==, "{{event.slug}}");
  button = tc_wa_template_get_button (back, 3);
  g_assert_cmpint (button->type, ==, TC_WA_BUTTON_PHONE_NUMBER);
  g_assert_cmpstr (button->phone_number, ==, "+16467043595");
  g_assert_null (button->url);

  /* A minimal template round-trips too. */
  {
    g_autoptr(TcWaTemplate) small = tc_wa_template_new ("a", "en", TC_WA_CATEGORY_UTILITY);
    g_autoptr(JsonNode) small_json = tc_wa_template_to_json (small);
    g_autoptr(TcWaTemplate) small_back = tc_wa_template_new_from_json (small_json, &error);
    g_autoptr(JsonNode) small_json2 = NULL;

    g_assert_no_error (error);
    small_json2 = tc_wa_template_to_json (small_back);
    g_assert_true (json_node_equal (small_json, small_json2));
    assert_json_equal (small_json,
      "{ \"name\": \"a\", \"language\": \"en\", \"category\": \"UTILITY\", \"status\": \"DRAFT\","
      "  \"body\": { \"params\": [] }, \"buttons\": [] }");
  }
}

static void
test_from_json_errors (void)
{
  static const struct
  {
    const char *json;
    const char *message;
  } cases[] = {
    { "[]", "A template must be a JSON object" },
    { "{ \"name\": 3 }", "name: expected a string" },
    { "{ \"name\": \"a\", \"category\": \"PROMO\" }", "category: unknown value “PROMO”" },
    { "{ \"name\": \"a\", \"status\": \"GONE\" }", "status: unknown value “GONE”" },
    { "{ \"header\": { \"format\": \"GIF\" } }", "header.format: unknown value “GIF”" },
    { "{ \"header\": [] }", "header: expected an object" },
    { "{ \"body\": { \"text\": [] } }", "body.text: expected a string" },
    { "{ \"body\": { \"params\": [ 1 ] } }", "body.params[0]: expected an object" },
    { "{ \"body\": { \"params\": [ { \"example\": 2 } ] } }", "body.params[0].example: expected a string" },
    { "{ \"buttons\": {} }", "buttons: expected an array" },
    { "{ \"buttons\": [ { \"type\": \"FLOW\" } ] }", "buttons[0].type: unknown value “FLOW”" },
    { "{ \"buttons\": [ { \"type\": \"URL\", \"url\": true } ] }", "buttons[0].url: expected a string" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = json_from_string (cases[i].json, &error);
      g_autoptr(TcWaTemplate) self = NULL;

      g_assert_no_error (error);
      self = tc_wa_template_new_from_json (node, &error);
      g_assert_null (self);
      g_assert_error (error, TC_WA_TEMPLATE_ERROR, TC_WA_TEMPLATE_ERROR_PARSE);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
on_changed_cb (TcWaTemplate *self,
               guint        *count)
{
  (*count)++;
}

static void
test_properties (void)
{
  TcWaTemplate *self = tc_wa_template_new ("a", "en", TC_WA_CATEGORY_MARKETING);
  guint notified = 0;
  guint changed = 0;
  g_autofree char *name = NULL;
  TcWaStatus status;

  g_signal_connect (self, "notify", G_CALLBACK (on_notify_cb), &notified);
  g_signal_connect (self, "changed", G_CALLBACK (on_changed_cb), &changed);

  tc_wa_template_set_name (self, "a");
  g_assert_cmpuint (notified, ==, 0);
  g_assert_cmpuint (changed, ==, 0);
  tc_wa_template_set_name (self, "b");
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (changed, ==, 1);
  g_object_get (self, "name", &name, NULL);
  g_assert_cmpstr (name, ==, "b");

  g_object_set (self, "category", TC_WA_CATEGORY_UTILITY, NULL);
  g_assert_cmpint (tc_wa_template_get_category (self), ==, TC_WA_CATEGORY_UTILITY);
  g_assert_cmpuint (notified, ==, 2);
  g_object_set (self, "category", TC_WA_CATEGORY_UTILITY, NULL);
  g_assert_cmpuint (notified, ==, 2);

  tc_wa_template_set_body_param (self, 1, "x", "{{x}}");
  g_assert_cmpuint (changed, ==, 3);
  tc_wa_template_set_body_param (self, 1, "x", "{{x}}");
  g_assert_cmpuint (changed, ==, 3);

  tc_wa_template_add_button (self, TC_WA_BUTTON_QUICK_REPLY, "Yes", NULL, NULL, NULL);
  g_assert_cmpuint (notified, ==, 3);
  g_assert_cmpuint (changed, ==, 4);

  tc_wa_template_set_status (self, TC_WA_STATUS_REJECTED, "TAG_CONTENT_MISMATCH");
  g_assert_cmpuint (notified, ==, 5);
  g_object_get (self, "status", &status, NULL);
  g_assert_cmpint (status, ==, TC_WA_STATUS_REJECTED);
  tc_wa_template_set_status (self, TC_WA_STATUS_APPROVED, "ignored");
  g_assert_cmpint (tc_wa_template_get_status (self), ==, TC_WA_STATUS_APPROVED);
  g_assert_null (tc_wa_template_get_rejection_reason (self));
  g_assert_cmpuint (notified, ==, 7);

  g_assert_finalize_object (self);
}

static void
test_enum_strings (void)
{
  TcWaCategory category;
  TcWaHeaderFormat format;
  TcWaButtonType type;
  TcWaStatus status;

  for (guint i = 0; i <= TC_WA_CATEGORY_AUTHENTICATION; i++)
    {
      g_assert_true (tc_wa_category_from_string (tc_wa_category_to_string (i), &category));
      g_assert_cmpuint (category, ==, i);
    }
  for (guint i = 0; i <= TC_WA_HEADER_DOCUMENT; i++)
    {
      g_assert_true (tc_wa_header_format_from_string (tc_wa_header_format_to_string (i), &format));
      g_assert_cmpuint (format, ==, i);
    }
  for (guint i = 0; i <= TC_WA_BUTTON_COPY_CODE; i++)
    {
      g_assert_true (tc_wa_button_type_from_string (tc_wa_button_type_to_string (i), &type));
      g_assert_cmpuint (type, ==, i);
    }
  for (guint i = 0; i <= TC_WA_STATUS_DISABLED; i++)
    {
      g_assert_true (tc_wa_status_from_string (tc_wa_status_to_string (i), &status));
      g_assert_cmpuint (status, ==, i);
    }

  g_assert_true (tc_wa_status_from_string ("approved", &status));
  g_assert_cmpint (status, ==, TC_WA_STATUS_APPROVED);
  g_assert_false (tc_wa_status_from_string ("IN_APPEAL", &status));
  g_assert_false (tc_wa_category_from_string (NULL, &category));
  g_assert_cmpstr (tc_wa_button_type_to_string (TC_WA_BUTTON_PHONE_NUMBER), ==, "PHONE_NUMBER");
}

static void
test_binding_syntax (void)
{
  g_autoptr(TcWaTemplate) self = make_template ();
  g_autoptr(GPtrArray) problems = NULL;
  const char *rules[] = { "body.binding-syntax", "button.binding-syntax", "header.binding-syntax" };
  const char *prefixes[] = {
    "Body parameter {{2}}: the value “{{#event}}” is not valid Mustache (",
    "Button 5: the value “{{event.slug” is not valid Mustache (",
    "Header parameter {{1}}: the value “{{a..b}}” is not valid Mustache (",
  };

  tc_wa_template_set_body_param (self, 2, "May 31", "{{#event}}");
  tc_wa_template_remove_button (self, 2);
  tc_wa_template_add_button (self, TC_WA_BUTTON_URL, "Shop now",
                             "https://shop.example/sale/{{1}}", "spring", "{{event.slug");
  tc_wa_template_set_header_binding (self, "{{a..b}}");

  g_assert_false (tc_wa_template_validate (self, &problems, NULL));
  for (guint r = 0; r < G_N_ELEMENTS (rules); r++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < problems->len; i++)
        {
          const TcWaProblem *problem = g_ptr_array_index (problems, i);

          if (g_strcmp0 (problem->rule, rules[r]) != 0)
            continue;
          found = TRUE;
          g_test_message ("%s", problem->message);
          g_assert_true (g_str_has_prefix (problem->message, prefixes[r]));
        }
      g_assert_true (found);
    }
}

static void
test_render_values (void)
{
  g_autoptr(TcWaTemplate) self = make_template ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = json_from_string (
    "{ \"first_name\": \"Ana\", \"campaign\": {},"
    "  \"event\": { \"ends_on\": \"May 31\", \"code\": \"SPRING20\", \"slug\": \"spring-ana\" } }",
    &error);
  g_autoptr(JsonNode) partial_data = json_from_string ("{ \"event\": { \"slug\": \"x\" } }", &error);
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(TcWaSendValues) values = NULL;
  g_autoptr(TcWaSendValues) partial = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *expected_body[] = { "Ana", "May 31", "SPRING20", NULL };
  const char *expected_buttons[] = { "STOP_PROMOS", "", "spring-ana", "", "SPRING20", NULL };

  g_assert_no_error (error);
  values = tc_wa_template_render_values (self, data, NULL, missing, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (values->header, ==, "Spring Sale");
  g_assert_cmpstrv (values->body, expected_body);
  g_assert_cmpstrv (values->buttons, expected_buttons);
  g_assert_cmpuint (missing->len, ==, 0);

  node = tc_wa_template_build_send_request (self, "+16505551234", values, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);

  /* Fallbacks fill in; missing variables are reported, and the empty
   * value they leave is refused when the request is built. */
  partial = tc_wa_template_render_values (self, partial_data, NULL, missing, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (partial->body[0], ==, "there");
  g_assert_cmpstr (partial->body[1], ==, "");
  g_assert_cmpuint (missing->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (missing, 0), ==, "event.ends_on");
  g_assert_cmpstr (g_ptr_array_index (missing, 1), ==, "event.code");
  g_clear_pointer (&node, json_node_unref);
  node = tc_wa_template_build_send_request (self, "+16505551234", partial, &error);
  g_assert_null (node);
  g_assert_error (error, TC_WA_TEMPLATE_ERROR, TC_WA_TEMPLATE_ERROR_MISSING_VALUE);
  g_clear_error (&error);

  /* An unbound parameter cannot be rendered. */
  {
    g_autoptr(TcWaSendValues) none = NULL;

    tc_wa_template_set_body_param (self, 3, "SPRING20", NULL);
    none = tc_wa_template_render_values (self, data, NULL, NULL, &error);
    g_assert_null (none);
    g_assert_error (error, TC_WA_TEMPLATE_ERROR, TC_WA_TEMPLATE_ERROR_MISSING_VALUE);
    g_assert_cmpstr (error->message, ==, "Body parameter {{3}}: not bound to a value");
  }
}

/* Media ---------------------------------------------------------------- */

/* g_format_size() puts a no-break space between number and unit. */
#define NBSP "\xc2\xa0"

static void
test_media (void)
{
  static const struct
  {
    TcMediaChannel channel;
    const char *content_type;
    guint64 size;
    gboolean ok;
    TcMediaKind kind;
    guint64 limit;
    const char *message;
  } cases[] = {
    { TC_MEDIA_CHANNEL_MMS, "image/jpeg", 4999999, TRUE, TC_MEDIA_KIND_IMAGE, 5000000, NULL },
    { TC_MEDIA_CHANNEL_MMS, "image/jpeg", 5000000, TRUE, TC_MEDIA_KIND_IMAGE, 5000000, NULL },
    { TC_MEDIA_CHANNEL_MMS, "IMAGE/PNG; foo=bar", 1000, TRUE, TC_MEDIA_KIND_IMAGE, 5000000, NULL },
    { TC_MEDIA_CHANNEL_MMS, "image/gif", 5000001, FALSE, TC_MEDIA_KIND_IMAGE, 5000000,
      "The image/gif file is 5.0" NBSP "MB (5000001 bytes); MMS images can be at most 5.0" NBSP "MB" },
    { TC_MEDIA_CHANNEL_MMS, "video/mp4", 600000, TRUE, TC_MEDIA_KIND_VIDEO, 600000, NULL },
    { TC_MEDIA_CHANNEL_MMS, "video/mp4", 600001, FALSE, TC_MEDIA_KIND_VIDEO, 600000,
      "The video/mp4 file is 600.0" NBSP "kB (600001 bytes); MMS attachments other than JPEG, PNG "
      "and GIF images can be at most 600.0" NBSP "kB" },
    { TC_MEDIA_CHANNEL_MMS, "text/vcard", 2000, TRUE, TC_MEDIA_KIND_DOCUMENT, 600000, NULL },
    { TC_MEDIA_CHANNEL_MMS, "application/pdf", 100000, TRUE, TC_MEDIA_KIND_DOCUMENT, 600000, NULL },
    { TC_MEDIA_CHANNEL_MMS, "image/webp", 1000, FALSE, 0, 0, "MMS does not accept image/webp files" },
    { TC_MEDIA_CHANNEL_MMS, "application/zip", 1000, FALSE, 0, 0,
      "MMS does not accept application/zip files" },
    { TC_MEDIA_CHANNEL_WHATSAPP, "image/jpeg", 5000000, TRUE, TC_MEDIA_KIND_IMAGE, 5000000, NULL },
    { TC_MEDIA_CHANNEL_WHATSAPP, "image/png", 5000001, FALSE, TC_MEDIA_KIND_IMAGE, 5000000,
      "The image/png file is 5.0" NBSP "MB (5000001 bytes); WhatsApp images can be at most 5.0" NBSP "MB" },
    { TC_MEDIA_CHANNEL_WHATSAPP, "image/gif", 1000, FALSE, 0, 0,
      "WhatsApp does not accept image/gif files" },
    { TC_MEDIA_CHANNEL_WHATSAPP, "video/mp4", 16000000, TRUE, TC_MEDIA_KIND_VIDEO, 16000000, NULL },
    { TC_MEDIA_CHANNEL_WHATSAPP, "video/3gpp", 16000001, FALSE, TC_MEDIA_KIND_VIDEO, 16000000,
      "The video/3gpp file is 16.0" NBSP "MB (16000001 bytes); WhatsApp videos can be at most 16.0" NBSP "MB" },
    { TC_MEDIA_CHANNEL_WHATSAPP, "video/quicktime", 1000, FALSE, 0, 0,
      "WhatsApp does not accept video/quicktime files" },
    { TC_MEDIA_CHANNEL_WHATSAPP, "audio/ogg; codecs=opus", 1000, TRUE, TC_MEDIA_KIND_AUDIO, 16000000, NULL },
    { TC_MEDIA_CHANNEL_WHATSAPP, "audio/mpeg", 16000001, FALSE, TC_MEDIA_KIND_AUDIO, 16000000,
      "The audio/mpeg file is 16.0" NBSP "MB (16000001 bytes); WhatsApp audio files can be at most "
      "16.0" NBSP "MB" },
    { TC_MEDIA_CHANNEL_WHATSAPP, "application/pdf", 100000000, TRUE, TC_MEDIA_KIND_DOCUMENT, 100000000, NULL },
    { TC_MEDIA_CHANNEL_WHATSAPP, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      100000001, FALSE, TC_MEDIA_KIND_DOCUMENT, 100000000,
      "The application/vnd.openxmlformats-officedocument.spreadsheetml.sheet file is 100.0" NBSP
      "MB (100000001 bytes); WhatsApp documents can be at most 100.0" NBSP "MB" },
    { TC_MEDIA_CHANNEL_WHATSAPP, "image/webp", 500000, TRUE, TC_MEDIA_KIND_STICKER, 500000, NULL },
    { TC_MEDIA_CHANNEL_WHATSAPP, "image/webp", 500001, FALSE, TC_MEDIA_KIND_STICKER, 500000,
      "The image/webp file is 500.0" NBSP "kB (500001 bytes); WhatsApp stickers can be at most "
      "500.0" NBSP "kB" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      TcMediaKind kind = (TcMediaKind) 99;
      guint64 limit = 0;
      gboolean ok;

      g_test_message ("case %u: %s", i, cases[i].content_type);
      ok = tc_media_check (cases[i].channel, cases[i].content_type, cases[i].size,
                           &kind, &limit, &error);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (cases[i].ok)
        g_assert_no_error (error);
      else
        {
          g_assert_nonnull (error);
          g_assert_cmpint (error->code, ==, cases[i].limit != 0 ? TC_MEDIA_ERROR_TOO_LARGE
                                                                : TC_MEDIA_ERROR_UNSUPPORTED_TYPE);
          g_assert_cmpstr (error->message, ==, cases[i].message);
        }
      if (cases[i].limit != 0)
        {
          g_assert_cmpint (kind, ==, cases[i].kind);
          g_assert_cmpuint (limit, ==, cases[i].limit);
        }
    }
}

static void
test_media_total_and_url (void)
{
  static const struct
  {
    const char *url;
    gboolean ok;
  } urls[] = {
    { "https://cdn.example/a.jpg", TRUE },
    { "http://cdn.example:8080/a.jpg?x=1", TRUE },
    { "HTTPS://CDN.EXAMPLE/A.JPG", TRUE },
    { "ftp://cdn.example/a.jpg", FALSE },
    { "/local/a.jpg", FALSE },
    { "https:///a.jpg", FALSE },
    { "file:///tmp/a.jpg", FALSE },
    { "", FALSE },
  };
  g_autoptr(GError) error = NULL;

  g_assert_true (tc_media_check_total (TC_MEDIA_CHANNEL_MMS, 5000000, &error));
  g_assert_no_error (error);
  g_assert_false (tc_media_check_total (TC_MEDIA_CHANNEL_MMS, 5000001, &error));
  g_assert_error (error, TC_MEDIA_ERROR, TC_MEDIA_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, "The attachments total 5.0" NBSP "MB (5000001 bytes); an MMS can carry at most 5.0" NBSP "MB");
  g_clear_error (&error);
  g_assert_true (tc_media_check_total (TC_MEDIA_CHANNEL_WHATSAPP, 50000000, &error));

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GError) url_error = NULL;

      g_assert_cmpint (tc_media_check_url (urls[i].url, &url_error), ==, urls[i].ok);
      if (urls[i].ok)
        g_assert_no_error (url_error);
      else
        g_assert_error (url_error, TC_MEDIA_ERROR, TC_MEDIA_ERROR_INVALID_URL);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tc/wa-template/valid", test_valid);
  g_test_add_func ("/tc/wa-template/rules", test_rules);
  g_test_add_func ("/tc/wa-template/all-problems", test_all_problems);
  g_test_add_func ("/tc/wa-template/create-json", test_create_json);
  g_test_add_func ("/tc/wa-template/create-json-media", test_create_json_media);
  g_test_add_func ("/tc/wa-template/create-json-invalid", test_create_json_invalid);
  g_test_add_func ("/tc/wa-template/send-json", test_send_json);
  g_test_add_func ("/tc/wa-template/send-json-media", test_send_json_media);
  g_test_add_func ("/tc/wa-template/send-json-errors", test_send_json_errors);
  g_test_add_func ("/tc/wa-template/round-trip", test_round_trip);
  g_test_add_func ("/tc/wa-template/from-json-errors", test_from_json_errors);
  g_test_add_func ("/tc/wa-template/properties", test_properties);
  g_test_add_func ("/tc/wa-template/enum-strings", test_enum_strings);
  g_test_add_func ("/tc/wa-template/binding-syntax", test_binding_syntax);
  g_test_add_func ("/tc/wa-template/render-values", test_render_values);
  g_test_add_func ("/tc/media/check", test_media);
  g_test_add_func ("/tc/media/total-and-url", test_media_total_and_url);

  return g_test_run ();
}
