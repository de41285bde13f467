/* test-simulator-templates.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built-in simulator's review of WhatsApp templates
 * (src/net/tc-simulator-templates.c): what Meta refuses outright, what it
 * approves and what it rejects with which reason — table-driven on the
 * review itself, then over HTTP with TcWaTemplatesClient (submission,
 * PENDING until the review time has passed, the verdict, a name used
 * twice, the list).
 */

#include "config.h"

#include <string.h>

#include "tc-simulator-templates.h"
#include "tc-simulator.h"
#include "tc-test-util.h"
#include "tc-wa-template.h"
#include "tc-wa-templates-client.h"

/* A submission: @body as the body text with @examples example values
 * (-1: no example member), @extra more components (JSON, may be ""). */
static JsonObject *
submission (const char *name,
            const char *category,
            const char *body,
            int         examples,
            const char *extra)
{
  g_autoptr(GString) json = g_string_new (NULL);
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
  g_autofree char *quoted = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_node_set_string (node, body);
  quoted = json_to_string (node, FALSE);
  g_string_printf (json, "{\"name\":\"%s\",\"language\":\"en\",\"category\":\"%s\","
                   "\"components\":[%s{\"type\":\"BODY\",\"text\":%s", name, category,
                   extra, quoted);
  if (examples >= 0)
    {
      g_string_append (json, ",\"example\":{\"body_text\":[[");
      for (int i = 0; i < examples; i++)
        g_string_append_printf (json, "%s\"x%d\"", i > 0 ? "," : "", i + 1);
      g_string_append (json, "]]}");
    }
  g_string_append (json, "}]}");

  root = json_from_string (json->str, &error);
  g_assert_no_error (error);
  {
    JsonObject *object = json_object_ref (json_node_get_object (root));

    json_node_unref (root);
    return object;
  }
}

static const struct
{
  const char *name;
  const char *template_name;
  const char *category;
  const char *body;
  int         examples;
  const char *extra;
  guint       subcode;       /* refused with; 0: accepted */
  const char *status;        /* accepted: the verdict */
  const char *reason;
} review_cases[] = {
  { "approved", "cart_followup", "MARKETING",
    "Hi {{1}}, your cart is still waiting for you at our shop.", 1, "", 0, "APPROVED", "NONE" },
  { "approved-no-variables", "hello", "UTILITY", "Your order has shipped and is on its way.", -1,
    "", 0, "APPROVED", "NONE" },
  { "approved-utility", "order_update", "UTILITY",
    "Hi {{1}}, your order {{2}} has shipped and will arrive soon.", 2, "", 0, "APPROVED", "NONE" },
  { "bad-name", "Cart Followup", "MARKETING", "Hello there, friend.", -1, "", 2388001, NULL, NULL },
  { "bad-category", "hello", "PROMOTION", "Hello there, friend.", -1, "", 2388003, NULL, NULL },
  { "no-body", "hello", "MARKETING", "", -1, "", 2388004, NULL, NULL },
  { "variable-at-start", "hello", "MARKETING", "{{1}}, your cart is waiting for you here.", 1, "",
    2388299, NULL, NULL },
  { "variable-at-end", "hello", "MARKETING", "Your cart is waiting for you, {{1}}.", 1, "",
    2388299, NULL, NULL },
  { "no-examples", "hello", "MARKETING", "Hi {{1}}, your cart is waiting for you here.", -1, "",
    2388043, NULL, NULL },
  { "too-few-examples", "hello", "MARKETING",
    "Hi {{1}}, your cart {{2}} is waiting for you here.", 1, "", 2388043, NULL, NULL },
  { "numbers-skip", "hello", "MARKETING", "Hi {{1}}, your cart {{3}} is waiting for you here.", 3,
    "", 2388043, NULL, NULL },
  { "named-variable", "hello", "MARKETING", "Hi {{name}}, your cart is waiting for you here.", 1,
    "", 2388043, NULL, NULL },
  { "image-without-example", "hello", "MARKETING", "Hello there, friend of ours.", -1,
    "{\"type\":\"HEADER\",\"format\":\"IMAGE\"},", 2388043, NULL, NULL },
  { "button-without-example", "hello", "MARKETING", "Hello there, friend of ours.", -1,
    "{\"type\":\"BUTTONS\",\"buttons\":[{\"type\":\"URL\",\"text\":\"Go\","
    "\"url\":\"https://shop.example.com/{{1}}\"}]},", 2388043, NULL, NULL },
  { "adjacent-variables", "hello", "MARKETING",
    "Hi {{1}} {{2}}, your cart is waiting for you at the shop.", 2, "", 0, "REJECTED",
    "INVALID_FORMAT" },
  { "too-many-variables", "hello", "MARKETING", "Hi {{1}}, see {{2}} and {{3}} ok", 3, "", 0,
    "REJECTED", "INVALID_FORMAT" },
  { "utility-that-advertises", "hello", "UTILITY",
    "Hi {{1}}, enjoy 20% off everything in our winter sale.", 1, "", 0, "REJECTED",
    "TAG_CONTENT_MISMATCH" },
  { "marketing-may-advertise", "hello", "MARKETING",
    "Hi {{1}}, enjoy 20% off everything in our winter sale.", 1, "", 0, "APPROVED", "NONE" },
};

static void
test_review (gconstpointer data)
{
  guint i = GPOINTER_TO_UINT (data);
  g_autoptr(JsonObject) request = submission (review_cases[i].template_name,
                                              review_cases[i].category, review_cases[i].body,
                                              review_cases[i].examples, review_cases[i].extra);
  g_auto(TcSimTemplateReview) review = { 0, };

  _tc_sim_template_review (request, &review);
  if (review_cases[i].subcode != 0)
    {
      g_assert_true (review.refused);
      g_assert_cmpuint (review.subcode, ==, review_cases[i].subcode);
      g_assert_nonnull (review.title);
      g_assert_nonnull (review.message);
      g_assert_cmpstr (review.message, !=, "");
      return;
    }
  g_assert_false (review.refused);
  g_assert_cmpstr (review.status, ==, review_cases[i].status);
  g_assert_cmpstr (review.reason, ==, review_cases[i].reason);
}

/* ------------------------------------------------------------------------
 * Over HTTP
 */

typedef struct
{
  TcSimulator         *simulator;
  TcWaTemplatesClient *client;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  TcSimulatorConfig config;
  g_autoptr(GError) error = NULL;

  tc_simulator_config_init (&config);
  config.template_review_ms = GPOINTER_TO_UINT (data);
  f->simulator = tc_simulator_new (&config);
  g_assert_true (tc_simulator_listen (f->simulator, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  f->client = tc_wa_templates_client_new (tc_simulator_get_base_url (f->simulator), NULL,
                                          "102290129340398");
  tc_wa_templates_client_set_token (f->client, "EAAtest");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->client);
  tc_simulator_stop (f->simulator);
  g_clear_object (&f->simulator);
  tc_test_drain_main_context ();
}

static TcWaTemplate *
model (const char    *name,
       TcWaCategory   category,
       const char    *body)
{
  TcWaTemplate *template = tc_wa_template_new (name, "en", category);

  tc_wa_template_set_body (template, body);
  if (strstr (body, "{{1}}") != NULL)
    tc_wa_template_set_body_param (template, 1, "Maria", "{{first_name}}");

  return template;
}

static TcWaTemplateState *
submit (Fixture      *f,
        TcWaTemplate *template,
        GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tc_wa_templates_client_submit_async (f->client, template, NULL, tc_repository_store_result_cb,
                                       &result);
  tc_repository_wait (&result);
  return tc_wa_templates_client_submit_finish (f->client, result, error);
}

static TcWaTemplateState *
refresh (Fixture    *f,
         const char *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TcWaTemplateState *state;

  tc_wa_templates_client_refresh_async (f->client, name, "en", NULL,
                                        tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  state = tc_wa_templates_client_refresh_finish (f->client, result, &error);
  g_assert_no_error (error);

  return state;
}

static void
test_http_review (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(TcWaTemplate) good = model ("cart_followup", TC_WA_CATEGORY_MARKETING,
                                        "Hi {{1}}, your cart is still waiting for you.");
  g_autoptr(TcWaTemplate) utility = model ("order_sale", TC_WA_CATEGORY_UTILITY,
                                           "Hi {{1}}, our big winter sale starts today.");
  g_autoptr(TcWaTemplateState) submitted = NULL;
  g_autoptr(TcWaTemplateState) approved = NULL;
  g_autoptr(TcWaTemplateState) rejected = NULL;
  g_autoptr(TcWaTemplateState) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) list = NULL;

  submitted = submit (f, good, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (submitted->status, ==, "PENDING");
  g_assert_cmpstr (submitted->category, ==, "MARKETING");
  g_assert_cmpstr (submitted->id, !=, "");

  /* No review time: the verdict shows at the first look. */
  approved = refresh (f, "cart_followup");
  g_assert_cmpstr (approved->status, ==, "APPROVED");
  g_assert_cmpstr (approved->id, ==, submitted->id);
  g_assert_cmpstr (approved->reason, ==, "");

  g_clear_pointer (&submitted, tc_wa_template_state_free);
  submitted = submit (f, utility, &error);
  g_assert_no_error (error);
  rejected = refresh (f, "order_sale");
  g_assert_cmpstr (rejected->status, ==, "REJECTED");
  g_assert_cmpstr (rejected->reason, ==, "TAG_CONTENT_MISMATCH");

  /* The same name and language again: refused, as Meta does. */
  again = submit (f, good, &error);
  g_assert_null (again);
  g_assert_error (error, TC_WA_CLIENT_ERROR, TC_WA_CLIENT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "already"));

  tc_wa_templates_client_list_async (f->client, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_clear_error (&error);
  list = tc_wa_templates_client_list_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
}

static void
test_http_review_time (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(TcWaTemplate) good = model ("welcome_offer", TC_WA_CATEGORY_MARKETING,
                                        "Hi {{1}}, welcome to our shop and thank you.");
  g_autoptr(TcWaTemplateState) submitted = NULL;
  g_autoptr(TcWaTemplateState) pending = NULL;
  g_autoptr(TcWaTemplateState) approved = NULL;
  g_autoptr(GError) error = NULL;

  submitted = submit (f, good, &error);
  g_assert_no_error (error);
  pending = refresh (f, "welcome_offer");
  g_assert_cmpstr (pending->status, ==, "PENDING");
  g_usleep ((GPOINTER_TO_UINT (data) + 50) * 1000);
  approved = refresh (f, "welcome_offer");
  g_assert_cmpstr (approved->status, ==, "APPROVED");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (review_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/tc/simulator-templates/review/%s",
                                               review_cases[i].name);

      g_test_add_data_func (path, GUINT_TO_POINTER (i), test_review);
    }
  g_test_add ("/tc/simulator-templates/http", Fixture, GUINT_TO_POINTER (0), fixture_set_up,
              test_http_review, fixture_tear_down);
  g_test_add ("/tc/simulator-templates/http-review-time", Fixture, GUINT_TO_POINTER (300),
              fixture_set_up, test_http_review_time, fixture_tear_down);

  return g_test_run ();
}
