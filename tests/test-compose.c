/* test-compose.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TcComposer: one message from a stored template for one contact — the
 * contact's fields with fallbacks, UTM tags, short links through the
 * caller's allocator, the opt-out instruction on promotional SMS only (in
 * the contact's language, never twice), the MMS picture, and WhatsApp
 * templates with their category and approval.
 */

#define G_LOG_DOMAIN "test-compose"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "tc-compose.h"
#include "tc-wa-template.h"

static TcTemplate *
sms_template (const char *body)
{
  TcTemplate *template = tc_template_new (TC_TEMPLATE_KIND_SMS, "spring");

  tc_template_set_body (template, body);
  return template;
}

static TcContact *
contact (const char *first_name,
         const char *language)
{
  TcContact *self = tc_contact_new ();

  tc_contact_set_phone (self, "+14155550123");
  if (first_name != NULL)
    tc_contact_set_first_name (self, first_name);
  if (language != NULL)
    tc_contact_set_language (self, language);
  return self;
}

static void
test_sms_table (void)
{
  static const struct {
    const char *body;
    TcPurpose   purpose;
    const char *first_name;
    const char *language;
    const char *expected;
  } cases[] = {
    /* Fields and fallbacks. */
    { "Hi {{first_name|there}}, 20% off today.", TC_PURPOSE_TRANSACTIONAL, "Ana", NULL,
      "Hi Ana, 20% off today." },
    { "Hi {{first_name|there}}, 20% off today.", TC_PURPOSE_TRANSACTIONAL, NULL, NULL,
      "Hi there, 20% off today." },
    { "{{brand}}: your order shipped.", TC_PURPOSE_TRANSACTIONAL, NULL, NULL,
      "Acme Shoes: your order shipped." },
    /* Promotional: the opt-out instruction, in the contact's language. */
    { "Sale today!", TC_PURPOSE_PROMOTIONAL, "Ana", NULL, "Sale today!\nReply STOP to opt out" },
    { "Soldes aujourd'hui !", TC_PURPOSE_PROMOTIONAL, "Anne", "fr",
      "Soldes aujourd'hui !\nRépondez STOP pour vous désabonner" },
    /* Never twice. */
    { "Sale today! Reply STOP to opt out", TC_PURPOSE_PROMOTIONAL, NULL, NULL,
      "Sale today! Reply STOP to opt out" },
  };
  TcComposeOptions options = { .brand = "Acme Shoes" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TcTemplate) template = sms_template (cases[i].body);
      g_autoptr(TcContact) person = contact (cases[i].first_name, cases[i].language);
      g_autoptr(TcComposer) composer = NULL;
      g_auto(TcComposed) composed = { 0, };
      g_autoptr(GError) error = NULL;

      g_test_message ("case %u", i);
      options.purpose = cases[i].purpose;
      composer = tc_composer_new (template, &options, &error);
      g_assert_no_error (error);
      g_assert_true (tc_composer_compose (composer, person, "+14155550123", NULL, &composed, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (composed.body, ==, cases[i].expected);
      g_assert_null (composed.wa_template);
      g_assert_null (composed.media_url);
      g_assert_cmpint (composed.content, ==, TC_GATE_CONTENT_TEXT);
    }
}

typedef struct
{
  guint      n_calls;
  GPtrArray *urls;
} Allocator;

static char *
alloc_link (const char  *long_url,
            guint        index,
            gpointer     user_data,
            GError     **error)
{
  Allocator *allocator = user_data;

  allocator->n_calls++;
  g_ptr_array_add (allocator->urls, g_strdup (long_url));
  return g_strdup_printf ("Code%04u", allocator->n_calls);
}

static void
test_sms_links (void)
{
  g_autoptr(TcTemplate) template =
    sms_template ("Hi {{first_name}}, see https://shop.example/sale?x=1 now");
  g_autoptr(TcContact) person = contact ("Ana", NULL);
  g_autoptr(TcComposer) tagged = NULL;
  g_autoptr(TcComposer) shortened = NULL;
  g_auto(TcComposed) composed = { 0, };
  g_autoptr(GError) error = NULL;
  Allocator allocator = { 0, g_ptr_array_new_with_free_func (g_free) };
  TcUtmParams utm = { "textcast", "sms", "spring-sale", "A" };
  TcComposeOptions options = { .purpose = TC_PURPOSE_TRANSACTIONAL, .utm = &utm };

  /* UTM parameters, the query kept. */
  tagged = tc_composer_new (template, &options, &error);
  g_assert_no_error (error);
  g_assert_true (tc_composer_compose (tagged, person, "+14155550123", NULL, &composed, &error));
  g_assert_cmpstr (composed.body, ==,
                   "Hi Ana, see https://shop.example/sale?x=1&utm_source=textcast&utm_medium=sms"
                   "&utm_campaign=spring-sale&utm_content=A now");

  /* Then a short link per link, through the caller's allocator, which
   * gets the tagged long URL and the closure. */
  options.short_domain = "go.acme.example";
  options.alloc_link = alloc_link;
  shortened = tc_composer_new (template, &options, &error);
  g_assert_no_error (error);
  g_assert_true (tc_composer_compose (shortened, person, "+14155550123", &allocator, &composed, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (composed.body, ==, "Hi Ana, see https://go.acme.example/l/Code0001 now");
  g_assert_cmpuint (allocator.n_calls, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (allocator.urls, 0), ==,
                   "https://shop.example/sale?x=1&utm_source=textcast&utm_medium=sms"
                   "&utm_campaign=spring-sale&utm_content=A");

  /* A domain without an allocator shortens nothing. */
  options.alloc_link = NULL;
  g_clear_pointer (&shortened, tc_composer_free);
  shortened = tc_composer_new (template, &options, &error);
  g_assert_true (tc_composer_compose (shortened, person, "+14155550123", &allocator, &composed, &error));
  g_assert_nonnull (strstr (composed.body, "https://shop.example/sale?x=1&utm_source"));
  g_assert_cmpuint (allocator.n_calls, ==, 1);

  g_ptr_array_unref (allocator.urls);
}

static void
test_sms_media_and_errors (void)
{
  g_autoptr(TcTemplate) mms = sms_template ("New in: the Trail 2");
  g_autoptr(TcTemplate) broken = sms_template ("Hi {{#first_name}} unclosed");
  g_autoptr(TcTemplate) snippet = tc_template_new (TC_TEMPLATE_KIND_SNIPPET, "footer");
  g_autoptr(TcComposer) composer = NULL;
  g_auto(TcComposed) composed = { 0, };
  g_autoptr(GError) error = NULL;
  TcComposeOptions options = { .purpose = TC_PURPOSE_TRANSACTIONAL };

  tc_template_set_media_url (mms, "https://cdn.example/trail-2.jpg");
  composer = tc_composer_new (mms, &options, &error);
  g_assert_no_error (error);
  g_assert_true (tc_composer_compose (composer, NULL, "+14155550123", NULL, &composed, &error));
  g_assert_cmpstr (composed.media_url, ==, "https://cdn.example/trail-2.jpg");

  g_assert_null (tc_composer_new (broken, &options, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "“spring”"));
  g_clear_error (&error);

  g_assert_null (tc_composer_new (snippet, &options, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static TcTemplate *
whatsapp_template (TcWaCategory category,
                   TcWaStatus   status)
{
  g_autoptr(TcWaTemplate) model = tc_wa_template_new ("cart_reminder", "en_US", category);
  g_autoptr(JsonNode) definition = NULL;
  g_autofree char *json = NULL;
  TcTemplate *template = tc_template_new (TC_TEMPLATE_KIND_WHATSAPP, "cart_reminder");

  tc_wa_template_set_body (model, "Hi {{1}}, your cart is waiting.");
  tc_wa_template_set_body_param (model, 1, "Ana", "{{first_name|there}}");
  tc_wa_template_set_status (model, status, NULL);
  definition = tc_wa_template_to_json (model);
  json = json_to_string (definition, FALSE);
  tc_template_set_definition (template, json);

  return template;
}

static void
test_whatsapp (void)
{
  static const struct {
    TcWaCategory     category;
    TcWaStatus       status;
    TcGateWaCategory gate_category;
    gboolean         approved;
    const char      *first_name;
    const char      *expected_text;
  } cases[] = {
    { TC_WA_CATEGORY_MARKETING, TC_WA_STATUS_APPROVED, TC_GATE_WA_CATEGORY_MARKETING, TRUE, "Ana", "Ana" },
    { TC_WA_CATEGORY_UTILITY, TC_WA_STATUS_APPROVED, TC_GATE_WA_CATEGORY_UTILITY, TRUE, NULL, "there" },
    { TC_WA_CATEGORY_MARKETING, TC_WA_STATUS_PENDING, TC_GATE_WA_CATEGORY_MARKETING, FALSE, "Bo", "Bo" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TcTemplate) template = whatsapp_template (cases[i].category, cases[i].status);
      g_autoptr(TcContact) person = contact (cases[i].first_name, NULL);
      g_autoptr(TcComposer) composer = NULL;
      g_auto(TcComposed) composed = { 0, };
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) sent = NULL;
      JsonObject *object;
      JsonArray *parameters;

      g_test_message ("case %u", i);
      composer = tc_composer_new (template, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (tc_composer_compose (composer, person, "+14155550123", NULL, &composed, &error));
      g_assert_no_error (error);
      g_assert_null (composed.body);
      g_assert_cmpint (composed.content, ==, TC_GATE_CONTENT_TEMPLATE);
      g_assert_cmpint (composed.category, ==, cases[i].gate_category);
      g_assert_cmpint (composed.approved, ==, cases[i].approved);

      sent = json_from_string (composed.wa_template, &error);
      g_assert_no_error (error);
      object = json_node_get_object (sent);
      g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "cart_reminder");
      parameters = json_object_get_array_member (
        json_array_get_object_element (json_object_get_array_member (object, "components"), 0),
        "parameters");
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (parameters, 0), "text"),
                       ==, cases[i].expected_text);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tc/compose/sms", test_sms_table);
  g_test_add_func ("/tc/compose/sms-links", test_sms_links);
  g_test_add_func ("/tc/compose/sms-media-and-errors", test_sms_media_and_errors);
  g_test_add_func ("/tc/compose/whatsapp", test_whatsapp);

  return g_test_run ();
}
