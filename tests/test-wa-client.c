/* test-wa-client.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TcWaTemplatesClient against a fake Graph API: a SoupServer on 127.0.0.1
 * in this process. Checks the requests it sends, how it reads the answers
 * and the errors, that the status lands on the stored template, and the
 * same through `textcast-cli templates submit|refresh` (path in
 * $TEXTCAST_CLI), run while this process serves the fake API.
 */

#define G_LOG_DOMAIN "test-wa-client"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tc-repository.h"
#include "tc-template-store.h"
#include "tc-template.h"
#include "tc-wa-template.h"
#include "tc-wa-templates-client.h"

#define TOKEN   "EAAGtest5ecretT0ken"
#define WABA_ID "102290129340398"
#define TEMPLATES_PATH "/v23.0/" WABA_ID "/message_templates"

typedef struct
{
  SoupServer *server;
  char       *base;
  char       *dir;
  char       *db;

  /* The last request. */
  guint       n_requests;
  char       *method;
  char       *path;
  char       *query;
  char       *authorization;
  char       *content_type;
  GBytes     *request_body;

  /* The next answer. */
  guint       reply_status;
  char       *reply_body;
  gsize       reply_repeat;   /* > 0: the body is reply_body this many times */
  gboolean    reply_chunked;
  /* When set, the bodies of the next answers, one per request, in order
   * (then reply_body). */
  GPtrArray  *pages;
  guint       page;
} Fixture;

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  SoupMessageBody *response_body = soup_server_message_get_response_body (msg);
  g_autoptr(GBytes) flat = soup_message_body_flatten (request_body);
  GUri *uri = soup_server_message_get_uri (msg);

  f->n_requests++;
  g_free (f->method);
  f->method = g_strdup (soup_server_message_get_method (msg));
  g_free (f->path);
  f->path = g_strdup (path);
  g_free (f->query);
  f->query = g_strdup (g_uri_get_query (uri));
  g_free (f->authorization);
  f->authorization = g_strdup (soup_message_headers_get_one (request_headers, "Authorization"));
  g_free (f->content_type);
  f->content_type = g_strdup (soup_message_headers_get_content_type (request_headers, NULL));
  g_clear_pointer (&f->request_body, g_bytes_unref);
  f->request_body = g_bytes_ref (flat);

  soup_server_message_set_status (msg, f->reply_status, NULL);
  soup_message_headers_replace (response_headers, "Content-Type", "application/json");
  if (f->reply_chunked)
    soup_message_headers_set_encoding (response_headers, SOUP_ENCODING_CHUNKED);
  {
    GString *text = g_string_new (NULL);
    gsize len;

    if (f->pages != NULL && f->page < f->pages->len)
      g_string_append (text, g_ptr_array_index (f->pages, f->page++));
    else
      for (gsize i = 0; i < MAX (f->reply_repeat, 1); i++)
        g_string_append (text, f->reply_body);
    len = text->len;
    soup_message_body_append (response_body, SOUP_MEMORY_TAKE, g_string_free (text, FALSE), len);
  }
  soup_message_body_complete (response_body);
}

static void
reply (Fixture    *f,
       guint       status,
       const char *body)
{
  g_free (f->reply_body);
  f->reply_body = g_strdup (body);
  f->reply_status = status;
  f->reply_repeat = 0;
  f->reply_chunked = FALSE;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;
  GUri *uri;

  g_setenv (TC_WA_TOKEN_ENV, TOKEN, TRUE);

  f->server = soup_server_new ("server-header", "fake-graph", NULL);
  soup_server_add_handler (f->server, NULL, server_cb, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  g_assert_nonnull (uris);
  uri = uris->data;
  f->base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uri));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  f->dir = g_dir_make_tmp ("tc-wa-client-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_build_filename (f->dir, "t.db", NULL);
  reply (f, 200, "{}");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (f->db, suffixes[i], NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->db);
  g_free (f->dir);

  soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_free (f->base);
  g_free (f->method);
  g_free (f->path);
  g_free (f->query);
  g_free (f->authorization);
  g_free (f->content_type);
  g_clear_pointer (&f->request_body, g_bytes_unref);
  g_free (f->reply_body);
  g_unsetenv (TC_WA_TOKEN_ENV);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static void
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static TcWaTemplate *
sample_template (void)
{
  TcWaTemplate *template = tc_wa_template_new ("spring_sale", "en_US", TC_WA_CATEGORY_MARKETING);

  tc_wa_template_set_body (template, "Hi {{1}}, our spring sale starts today: 20% off everything.");
  tc_wa_template_set_body_param (template, 1, "Ana", "{{first_name|there}}");
  tc_wa_template_set_footer (template, "Acme Shoes");

  return template;
}

static TcWaTemplateState *
submit (Fixture              *f,
        TcWaTemplatesClient  *client,
        TcWaTemplate         *template,
        GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tc_wa_templates_client_submit_async (client, template, NULL, store_cb, &result);
  wait_for (&result);

  return tc_wa_templates_client_submit_finish (client, result, error);
}

static TcWaTemplateState *
refresh (Fixture              *f,
         TcWaTemplatesClient  *client,
         const char           *name,
         const char           *language,
         GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tc_wa_templates_client_refresh_async (client, name, language, NULL, store_cb, &result);
  wait_for (&result);

  return tc_wa_templates_client_refresh_finish (client, result, error);
}

/* ------------------------------------------------------------------------
 * Submit
 */

static void
test_submit_request (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(TcWaTemplatesClient) client = tc_wa_templates_client_new (f->base, NULL, WABA_ID);
  g_autoptr(TcWaTemplate) template = sample_template ();
  g_autoptr(TcWaTemplateState) state = NULL;
  g_autoptr(JsonNode) expected = NULL;
  g_autoptr(JsonNode) sent = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;

  reply (f, 200, "{\"id\":\"594425479261596\",\"status\":\"PENDING\",\"category\":\"MARKETING\"}");
  state = submit (f, client, template, &error);
  g_assert_no_error (error);
  g_assert_nonnull (state);

  g_assert_cmpuint (f->n_requests, ==, 1);
  g_assert_cmpstr (f->method, ==, "POST");
  g_assert_cmpstr (f->path, ==, TEMPLATES_PATH);
  g_assert_cmpstr (f->authorization, ==, "Bearer " TOKEN);
  g_assert_cmpstr (f->content_type, ==, "application/json");

  expected = tc_wa_template_build_create_request (template, &error);
  g_assert_no_error (error);
  body = g_strndup (g_bytes_get_data (f->request_body, NULL), g_bytes_get_size (f->request_body));
  sent = json_from_string (body, &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (expected, sent));

  g_assert_cmpstr (state->id, ==, "594425479261596");
  g_assert_cmpstr (state->name, ==, "spring_sale");
  g_assert_cmpstr (state->language, ==, "en_US");
  g_assert_cmpstr (state->status, ==, "PENDING");
  g_assert_cmpstr (state->reason, ==, "");
  g_assert_cmpstr (state->category, ==, "MARKETING");
}

static void
test_submit_answers (Fixture       *f,
                     gconstpointer  data)
{
  static const struct
  {
    const char *answer;
    const char *status;
  } cases[] = {
    { "{\"id\":\"1\",\"status\":\"PENDING\",\"category\":\"MARKETING\"}", "PENDING" },
    { "{\"id\":\"2\",\"status\":\"APPROVED\",\"category\":\"UTILITY\"}", "APPROVED" },
    { "{\"id\":\"3\",\"status\":\"REJECTED\",\"category\":\"MARKETING\"}", "REJECTED" },
    /* No status in the answer: under review until Meta says otherwise. */
    { "{\"id\":\"4\"}", "PENDING" },
    { "{\"id\":\"5\",\"status\":\"approved\"}", "APPROVED" },
  };
  g_autoptr(TcWaTemplatesClient) client = tc_wa_templates_client_new (f->base, "v23.0", WABA_ID);
  g_autoptr(TcWaTemplate) template = sample_template ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TcWaTemplateState) state = NULL;
      g_autoptr(GError) error = NULL;

      reply (f, 200, cases[i].answer);
      state = submit (f, client, template, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (state->status, ==, cases[i].status);
    }
}

/* A custom base with a trailing '/', and another API version. */
static void
test_submit_base_and_version (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *base = g_strconcat (f->base, "/", NULL);
  g_autoptr(TcWaTemplatesClient) client = tc_wa_templates_client_new (base, "v21.0", " " WABA_ID " ");
  g_autoptr(TcWaTemplate) template = sample_template ();
  g_autoptr(TcWaTemplateState) state = NULL;
  g_autoptr(GError) error = NULL;

  reply (f, 200, "{\"id\":\"7\",\"status\":\"PENDING\"}");
  state = submit (f, client, template, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (f->path, ==, "/v21.0/" WABA_ID "/message_templates");
  g_assert_cmpstr (tc_wa_templates_client_get_waba_id (client), ==, WABA_ID);
}

/* An invalid template is refused before anything is sent. */
static void
test_submit_invalid_template (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(TcWaTemplatesClient) client = tc_wa_templates_client_new (f->base, NULL, WABA_ID);
  g_autoptr(TcWaTemplate) template = tc_wa_template_new ("Bad Name", "en_US", TC_WA_CATEGORY_MARKETING);
  g_autoptr(TcWaTemplateState) state = NULL;
  g_autoptr(GError) error = NULL;

  tc_wa_template_set_body (template, "Hello");
  state = submit (f, client, template, &error);
  g_assert_null (state);
  g_assert_error (error, TC_WA_TEMPLATE_ERROR, TC_WA_TEMPLATE_ERROR_INVALID);
  g_assert_cmpuint (f->n_requests, ==, 0);
}

/* The state lands on the stored template, without a new version. */
static void
test_submit_stored (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(TcRepository) repository = tc_repository_new (f->db);
  g_autoptr(TcWaTemplatesClient) client = tc_wa_templates_client_new (f->base, NULL, WABA_ID);
  g_autoptr(TcWaTemplate) model = sample_template ();
  g_autoptr(TcTemplate) template = tc_template_new (TC_TEMPLATE_KIND_WHATSAPP, "spring_sale");
  g_autoptr(TcTemplate) stored = NULL;
  g_autoptr(TcWaTemplateState) state = NULL;
  g_autoptr(GAsyncResult) opened = NULL;
  g_autoptr(GAsyncResult) saved = NULL;
  g_autoptr(GAsyncResult) written = NULL;
  g_autoptr(GAsyncResult) read = NULL;
  g_autoptr(GAsyncResult) rewritten = NULL;
  g_autoptr(GAsyncResult) reread = NULL;
  g_autoptr(JsonNode) definition = tc_wa_template_to_json (model);
  g_autofree char *text = json_to_string (definition, TRUE);
  g_autoptr(GError) error = NULL;
  gboolean new_version = FALSE;

  tc_repository_open_async (repository, NULL, store_cb, &opened);
  wait_for (&opened);
  g_assert_true (tc_repository_open_finish (repository, opened, &error));
  g_assert_no_error (error);

  tc_template_set_definition (template, text);
  tc_template_set_language (template, "en_US");
  tc_repository_save_template_async (repository, template, NULL, store_cb, &saved);
  wait_for (&saved);
  g_assert_true (tc_repository_save_template_finish (repository, saved, &new_version, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tc_template_get_status (template), ==, "draft");

  reply (f, 200, "{\"id\":\"9\",\"status\":\"PENDING\",\"category\":\"MARKETING\"}");
  state = submit (f, client, model, &error);
  g_assert_no_error (error);

  tc_wa_template_state_store_async (state, repository, tc_template_get_id (template), NULL, store_cb, &written);
  wait_for (&written);
  g_assert_true (tc_wa_template_state_store_finish (repository, written, &error));
  g_assert_no_error (error);

  tc_repository_get_template_async (repository, tc_template_get_id (template), 0, NULL, store_cb, &read);
  wait_for (&read);
  stored = tc_repository_get_template_finish (repository, read, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tc_template_get_status (stored), ==, "pending");
  g_assert_cmpstr (tc_template_get_status_reason (stored), ==, "");
  g_assert_cmpint (tc_template_get_version (stored), ==, 1);
  g_clear_object (&stored);
  g_clear_pointer (&state, tc_wa_template_state_free);

  /* Then Meta rejects it. */
  reply (f, 200, "{\"data\":[{\"name\":\"spring_sale\",\"status\":\"REJECTED\",\"language\":\"en_US\","
                 "\"rejected_reason\":\"PROMOTIONAL\",\"category\":\"MARKETING\",\"id\":\"9\"}]}");
  state = refresh (f, client, "spring_sale", "en_US", &error);
  g_assert_no_error (error);
  tc_wa_template_state_store_async (state, repository, tc_template_get_id (template), NULL, store_cb, &rewritten);
  wait_for (&rewritten);
  g_assert_true (tc_wa_template_state_store_finish (repository, rewritten, &error));
  g_assert_no_error (error);

  tc_repository_get_template_async (repository, tc_template_get_id (template), 0, NULL, store_cb, &reread);
  wait_for (&reread);
  stored = tc_repository_get_template_finish (repository, reread, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tc_template_get_status (stored), ==, "rejected");
  g_assert_cmpstr (tc_template_get_status_reason (stored), ==, "PROMOTIONAL");
  g_assert_cmpint (tc_template_get_version (stored), ==, 1);

  tc_repository_close (repository);
}

/* ------------------------------------------------------------------------
 * Refresh
 */

static void
test_refresh_request (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(TcWaTemplatesClient) client = tc_wa_templates_client_new (f->base, NULL, WABA_ID);
  g_autoptr(TcWaTemplateState) state = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GError) error = NULL;

  /* Not a valid template name, but the query must carry it intact. */
  reply (f, 200, "{\"data\":[{\"name\":\"summer sale&x=1\",\"status\":\"APPROVED\",\"language\":\"en\","
                 "\"rejected_reason\":\"NONE\",\"category\":\"MARKETING\",\"id\":\"5\"}]}");
  state = refresh (f, client, "summer sale&x=1", "en", &error);
  g_assert_no_error (error);

  g_assert_cmpstr (f->method, ==, "GET");
  g_assert_cmpstr (f->path, ==, TEMPLATES_PATH);
  g_assert_cmpstr (f->authorization, ==, "Bearer " TOKEN);
  g_assert_cmpuint (g_bytes_get_size (f->request_body), ==, 0);
  params = g_uri_parse_params (f->query, -1, "&", G_URI_PARAMS_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (params), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (params, "name"), ==, "summer sale&x=1");
  g_assert_cmpstr (g_hash_table_lookup (params, "fields"), ==, "name,status,language,rejected_reason,category");

  g_assert_cmpstr (state->status, ==, "APPROVED");
  g_assert_cmpstr (state->reason, ==, "");
  g_assert_cmpstr (state->id, ==, "5");
}

static void
test_refresh_answers (Fixture       *f,
                      gconstpointer  data)
{
  static const struct
  {
    const char *answer;
    const char *language;
    const char *status;
    const char *reason;
  } cases[] = {
    { "{\"data\":[{\"name\":\"promo\",\"status\":\"APPROVED\",\"language\":\"en_US\",\"rejected_reason\":\"NONE\"}]}",
      "en_US", "APPROVED", "" },
    { "{\"data\":[{\"name\":\"promo\",\"status\":\"REJECTED\",\"language\":\"en_US\",\"rejected_reason\":\"INVALID_FORMAT\"}]}",
      "en_US", "REJECTED", "INVALID_FORMAT" },
    { "{\"data\":[{\"name\":\"promo\",\"status\":\"PENDING\",\"language\":\"en_US\"}]}",
      "en_US", "PENDING", "" },
    /* The entry of the right language, among others of the same name. */
    { "{\"data\":[{\"name\":\"promo\",\"status\":\"REJECTED\",\"language\":\"fr\",\"rejected_reason\":\"ABUSIVE_CONTENT\"},"
      "{\"name\":\"promo\",\"status\":\"APPROVED\",\"language\":\"en_US\",\"rejected_reason\":\"NONE\"}],"
      "\"paging\":{\"cursors\":{\"before\":\"a\",\"after\":\"b\"}}}",
      "en_US", "APPROVED", "" },
    { "{\"data\":[{\"name\":\"promo\",\"status\":\"REJECTED\",\"language\":\"fr\",\"rejected_reason\":\"ABUSIVE_CONTENT\"},"
      "{\"name\":\"promo\",\"status\":\"APPROVED\",\"language\":\"en_US\",\"rejected_reason\":\"NONE\"}]}",
      "fr", "REJECTED", "ABUSIVE_CONTENT" },
    /* Meta's name filter also matches longer names: only the exact one counts. */
    { "{\"data\":[{\"name\":\"promo_2\",\"status\":\"REJECTED\",\"language\":\"en_US\",\"rejected_reason\":\"TAG_CONTENT_MISMATCH\"},"
      "{\"name\":\"promo\",\"status\":\"PAUSED\",\"language\":\"en_US\"}]}",
      "en_US", "PAUSED", "" },
  };
  g_autoptr(TcWaTemplatesClient) client = tc_wa_templates_client_new (f->base, NULL, WABA_ID);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TcWaTemplateState) state = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("case %u", i);
      reply (f, 200, cases[i].answer);
      state = refresh (f, client, "promo", cases[i].language, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (state->name, ==, "promo");
      g_assert_cmpstr (state->language, ==, cases[i].language);
      g_assert_cmpstr (state->status, ==, cases[i].status);
      g_assert_cmpstr (state->reason, ==, cases[i].reason);
    }
}

static void
test_refresh_not_found (Fixture       *f,
                        gconstpointer  data)
{
  static const char * const answers[] = {
    "{\"data\":[]}",
    "{\"data\":[{\"name\":\"promo\",\"status\":\"APPROVED\",\"language\":\"de\"}]}",
  };
  g_autoptr(TcWaTemplatesClient) client = tc_wa_templates_client_new (f->base, NULL, WABA_ID);

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(TcWaTemplateState) state = NULL;
      g_autoptr(GError) error = NULL;

      reply (f, 200, answers[i]);
      state = refresh (f, client, "promo", "en_US", &error);
      g_assert_null (state);
      g_assert_error (error, TC_WA_CLIENT_ERROR, TC_WA_CLIENT_ERROR_NOT_FOUND);
      g_assert_nonnull (strstr (error->message, "“promo”"));
    }
}

/* ------------------------------------------------------------------------
 * Errors
 */

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  static const struct
  {
    guint       status;
    const char *answer;
    gsize       repeat;
    gboolean    chunked;
    int         code;
    const char *words;
  } cases[] = {
    /* Meta echoing the token: it must not come back in the message. */
    { 401, "{\"error\":{\"message\":\"Invalid OAuth access token - Cannot parse access token " TOKEN "\","
           "\"type\":\"OAuthException\",\"code\":190,\"fbtrace_id\":\"AbCd\"}}", 0, FALSE,
      TC_WA_CLIENT_ERROR_AUTH, "the access token is not valid or has expired: Invalid OAuth access token" },
    { 400, "{\"error\":{\"message\":\"Error validating access token: Session has expired\","
           "\"type\":\"OAuthException\",\"code\":190,\"error_subcode\":463}}", 0, FALSE,
      TC_WA_CLIENT_ERROR_AUTH, "the access token is not valid or has expired: Error validating" },
    { 401, "", 0, FALSE, TC_WA_CLIENT_ERROR_AUTH, "the access token is not valid or has expired: HTTP 401" },
    { 400, "{\"error\":{\"message\":\"Invalid parameter\",\"type\":\"OAuthException\",\"code\":100,"
           "\"error_subcode\":2388023,\"error_user_title\":\"Name taken\","
           "\"error_user_msg\":\"A template with this name is being deleted; try in 4 weeks\"}}", 0, FALSE,
      TC_WA_CLIENT_ERROR_INVALID, "A template with this name is being deleted; try in 4 weeks (Invalid parameter)" },
    { 400, "{\"error\":{\"message\":\"Invalid parameter\",\"code\":100}}", 0, FALSE,
      TC_WA_CLIENT_ERROR_INVALID, "refused a parameter of the request: Invalid parameter" },
    { 400, "{\"error\":{\"message\":\"(#80008) There have been too many calls\",\"code\":80008}}", 0, FALSE,
      TC_WA_CLIENT_ERROR_RATE_LIMITED, "rate limited" },
    { 429, "", 0, FALSE, TC_WA_CLIENT_ERROR_RATE_LIMITED, "rate limited" },
    { 500, "{\"error\":{\"message\":\"An unknown error occurred\",\"code\":1}}", 0, FALSE,
      TC_WA_CLIENT_ERROR_SERVER, "Meta is having trouble (HTTP 500); try again later" },
    { 503, "<html>Service Unavailable</html>", 0, FALSE,
      TC_WA_CLIENT_ERROR_SERVER, "Meta is having trouble (HTTP 503)" },
    { 403, "{\"error\":{\"message\":\"(#10) Application does not have permission\",\"code\":10}}", 0, FALSE,
      TC_WA_CLIENT_ERROR_FAILED, "Meta refused the request: (#10) Application does not have permission" },
    { 200, "{\"id\":\"1\",", 0, FALSE, TC_WA_CLIENT_ERROR_BAD_RESPONSE, "not a JSON object" },
    { 200, "[\"id\"]", 0, FALSE, TC_WA_CLIENT_ERROR_BAD_RESPONSE, "not a JSON object" },
    { 200, "", 0, FALSE, TC_WA_CLIENT_ERROR_BAD_RESPONSE, "not a JSON object" },
    { 200, "{\"status\":\"PENDING\"}", 0, FALSE, TC_WA_CLIENT_ERROR_BAD_RESPONSE, "no template id" },
    /* Over 1 MiB, announced by Content-Length, and chunked. */
    { 200, "{\"id\":\"1\"}          ", 60000, FALSE, TC_WA_CLIENT_ERROR_BAD_RESPONSE, "larger than 1024 KiB" },
    { 200, "{\"id\":\"1\"}          ", 60000, TRUE, TC_WA_CLIENT_ERROR_BAD_RESPONSE, "larger than 1024 KiB" },
  };
  g_autoptr(TcWaTemplatesClient) client = tc_wa_templates_client_new (f->base, NULL, WABA_ID);
  g_autoptr(TcWaTemplate) template = sample_template ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TcWaTemplateState) state = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("case %u: HTTP %u %.40s", i, cases[i].status, cases[i].answer);
      reply (f, cases[i].status, cases[i].answer);
      f->reply_repeat = cases[i].repeat;
      f->reply_chunked = cases[i].chunked;
      state = submit (f, client, template, &error);
      g_assert_null (state);
      g_assert_error (error, TC_WA_CLIENT_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].words));
      g_assert_null (strstr (error->message, TOKEN));
    }
}

/* The same mapping on refresh, for the answers a GET can get. */
static void
test_refresh_errors (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(TcWaTemplatesClient) client = tc_wa_templates_client_new (f->base, NULL, WABA_ID);
  g_autoptr(TcWaTemplateState) state = NULL;
  g_autoptr(TcWaTemplateState) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) second_error = NULL;

  reply (f, 400, "{\"error\":{\"message\":\"Malformed access token " TOKEN "\",\"code\":190}}");
  state = refresh (f, client, "promo", "en_US", &error);
  g_assert_error (error, TC_WA_CLIENT_ERROR, TC_WA_CLIENT_ERROR_AUTH);
  g_assert_null (strstr (error->message, TOKEN));
  g_assert_nonnull (strstr (error->message, "[token]"));

  reply (f, 200, "{\"paging\":{}}");
  second = refresh (f, client, "promo", "en_US", &second_error);
  g_assert_error (second_error, TC_WA_CLIENT_ERROR, TC_WA_CLIENT_ERROR_BAD_RESPONSE);
}

static void
test_not_configured (Fixture       *f,
                     gconstpointer  data)
{
  static const struct
  {
    const char *token;
    const char *waba_id;
    const char *words;
  } cases[] = {
    { NULL, WABA_ID, "set TEXTCAST_WHATSAPP_TOKEN" },
    { "", WABA_ID, "set TEXTCAST_WHATSAPP_TOKEN" },
    { "   ", WABA_ID, "set TEXTCAST_WHATSAPP_TOKEN" },
    { TOKEN, NULL, "set the WhatsApp Business Account id in settings" },
    { TOKEN, "", "set the WhatsApp Business Account id in settings" },
    { TOKEN, "123/../../me", "is not a number" },
  };
  g_autoptr(TcWaTemplate) template = sample_template ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TcWaTemplatesClient) client = NULL;
      g_autoptr(TcWaTemplateState) state = NULL;
      g_autoptr(TcWaTemplateState) refreshed = NULL;
      g_autoptr(GError) check_error = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) refresh_error = NULL;

      if (cases[i].token != NULL)
        g_setenv (TC_WA_TOKEN_ENV, cases[i].token, TRUE);
      else
        g_unsetenv (TC_WA_TOKEN_ENV);
      client = tc_wa_templates_client_new (f->base, NULL, cases[i].waba_id);

      g_assert_false (tc_wa_templates_client_check_configured (client, &check_error));
      g_assert_error (check_error, TC_WA_CLIENT_ERROR, TC_WA_CLIENT_ERROR_NOT_CONFIGURED);
      g_assert_nonnull (strstr (check_error->message, cases[i].words));

      state = submit (f, client, template, &error);
      g_assert_error (error, TC_WA_CLIENT_ERROR, TC_WA_CLIENT_ERROR_NOT_CONFIGURED);
      refreshed = refresh (f, client, "spring_sale", "en_US", &refresh_error);
      g_assert_error (refresh_error, TC_WA_CLIENT_ERROR, TC_WA_CLIENT_ERROR_NOT_CONFIGURED);
      g_assert_cmpuint (f->n_requests, ==, 0);
    }

  /* The defaults. */
  {
    g_autoptr(TcWaTemplatesClient) client = tc_wa_templates_client_new (NULL, "", WABA_ID);

    g_assert_cmpstr (tc_wa_templates_client_get_api_base (client), ==, "https://graph.facebook.com");
    g_assert_cmpstr (tc_wa_templates_client_get_api_version (client), ==, "v23.0");
  }
}

/* ------------------------------------------------------------------------
 * textcast-cli templates submit / refresh
 */

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs textcast-cli --db DB ARGS… with @input on standard input and
 * @token (NULL: none) in its environment, serving the fake API meanwhile. */
static void
run_cli (Fixture            *f,
         const char         *token,
         const char         *input,
         Run                *run,
         const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("TEXTCAST_CLI");

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, f->db);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (token != NULL)
    g_subprocess_launcher_setenv (launcher, TC_WA_TOKEN_ENV, token, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, TC_WA_TOKEN_ENV);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, input != NULL ? input : "", NULL, store_cb, &result);
  wait_for (&result);
  g_subprocess_communicate_utf8_finish (process, result, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
}

#define RUN(f, token, input, run, ...) \
  G_STMT_START { \
    const char * const args_[] = { __VA_ARGS__, NULL }; \
    run_cli ((f), (token), (input), (run), args_); \
  } G_STMT_END

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);

  return node;
}

static void
assert_state (JsonObject *object,
              const char *status,
              const char *reason)
{
  g_assert_cmpuint (json_object_get_size (object), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "spring_sale");
  g_assert_true (json_object_has_member (object, "category"));
  g_assert_cmpstr (json_object_get_string_member (object, "language"), ==, "en_US");
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, status);
  g_assert_cmpstr (json_object_get_string_member (object, "reason"), ==, reason);
}

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(TcWaTemplate) model = sample_template ();
  g_autoptr(JsonNode) definition = tc_wa_template_to_json (model);
  g_autoptr(JsonNode) expected = tc_wa_template_build_create_request (model, NULL);
  g_autofree char *text = json_to_string (definition, TRUE);
  g_autofree char *sent_text = NULL;
  g_autoptr(JsonNode) sent = NULL;
  g_autoptr(JsonNode) submitted = NULL;
  g_autoptr(JsonNode) refreshed = NULL;
  g_autoptr(JsonNode) shown = NULL;
  g_auto(Run) saved = { 0 };
  g_auto(Run) base = { 0 };
  g_auto(Run) waba = { 0 };
  g_auto(Run) draft_refresh = { 0 };
  g_auto(Run) submit_run = { 0 };
  g_auto(Run) refresh_run = { 0 };
  g_auto(Run) named_refresh = { 0 };
  g_auto(Run) show = { 0 };
  g_auto(Run) no_token = { 0 };
  g_auto(Run) bad_token = { 0 };
  g_auto(Run) sms = { 0 };
  g_auto(Run) no_name = { 0 };
  JsonArray *array;
  JsonObject *object;

  RUN (f, TOKEN, text, &saved, "templates", "save", "--name", "spring_sale", "--kind", "whatsapp",
       "--language", "en_US");
  g_assert_cmpstr (saved.err, ==, "");
  g_assert_cmpint (saved.status, ==, 0);
  RUN (f, TOKEN, NULL, &base, "settings", "set", "whatsapp.api_base", f->base);
  g_assert_cmpint (base.status, ==, 0);
  RUN (f, TOKEN, NULL, &waba, "settings", "set", "whatsapp.waba_id", WABA_ID);
  g_assert_cmpint (waba.status, ==, 0);

  /* Nothing submitted yet: refreshing all asks Meta nothing. */
  RUN (f, TOKEN, NULL, &draft_refresh, "templates", "refresh", "--json");
  g_assert_cmpstr (draft_refresh.err, ==, "");
  g_assert_cmpint (draft_refresh.status, ==, 0);
  g_assert_cmpstr (draft_refresh.out, ==, "[]\n");
  g_assert_cmpuint (f->n_requests, ==, 0);

  reply (f, 200, "{\"id\":\"594425479261596\",\"status\":\"PENDING\",\"category\":\"MARKETING\"}");
  RUN (f, TOKEN, NULL, &submit_run, "templates", "submit", "spring_sale", "--json");
  g_assert_cmpstr (submit_run.err, ==, "");
  g_assert_cmpint (submit_run.status, ==, 0);
  submitted = parse_json (submit_run.out);
  assert_state (json_node_get_object (submitted), "PENDING", "");
  g_assert_cmpuint (f->n_requests, ==, 1);
  g_assert_cmpstr (f->method, ==, "POST");
  g_assert_cmpstr (f->path, ==, TEMPLATES_PATH);
  g_assert_cmpstr (f->authorization, ==, "Bearer " TOKEN);
  sent_text = g_strndup (g_bytes_get_data (f->request_body, NULL), g_bytes_get_size (f->request_body));
  sent = parse_json (sent_text);
  g_assert_true (json_node_equal (expected, sent));

  reply (f, 200, "{\"data\":[{\"name\":\"spring_sale\",\"status\":\"REJECTED\",\"language\":\"en_US\","
                 "\"rejected_reason\":\"INVALID_FORMAT\",\"category\":\"MARKETING\",\"id\":\"594425479261596\"}]}");
  RUN (f, TOKEN, NULL, &refresh_run, "templates", "refresh", "--json");
  g_assert_cmpstr (refresh_run.err, ==, "");
  g_assert_cmpint (refresh_run.status, ==, 0);
  refreshed = parse_json (refresh_run.out);
  array = json_node_get_array (refreshed);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  assert_state (json_array_get_object_element (array, 0), "REJECTED", "INVALID_FORMAT");
  g_assert_cmpstr (f->method, ==, "GET");

  RUN (f, TOKEN, NULL, &show, "templates", "show", "spring_sale", "--json");
  g_assert_cmpint (show.status, ==, 0);
  shown = parse_json (show.out);
  object = json_node_get_object (shown);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (object, "status_reason"), ==, "INVALID_FORMAT");
  g_assert_cmpint (json_object_get_int_member (object, "version"), ==, 1);

  reply (f, 200, "{\"data\":[{\"name\":\"spring_sale\",\"status\":\"APPROVED\",\"language\":\"en_US\","
                 "\"rejected_reason\":\"NONE\"}]}");
  RUN (f, TOKEN, NULL, &named_refresh, "templates", "refresh", "spring_sale");
  g_assert_cmpint (named_refresh.status, ==, 0);
  g_assert_cmpstr (named_refresh.out, ==, "spring_sale (en_US): APPROVED\n");

  /* No token in the environment: nothing is sent. */
  f->n_requests = 0;
  RUN (f, NULL, NULL, &no_token, "templates", "submit", "spring_sale");
  g_assert_cmpint (no_token.status, ==, 1);
  g_assert_nonnull (strstr (no_token.err, "set TEXTCAST_WHATSAPP_TOKEN"));
  g_assert_cmpuint (f->n_requests, ==, 0);

  /* Meta echoing the token: neither output shows it. */
  reply (f, 401, "{\"error\":{\"message\":\"Invalid OAuth access token " TOKEN "\",\"code\":190}}");
  RUN (f, TOKEN, NULL, &bad_token, "templates", "submit", "spring_sale", "--json");
  g_assert_cmpint (bad_token.status, ==, 1);
  g_assert_nonnull (strstr (bad_token.err, "the access token is not valid or has expired"));
  g_assert_null (strstr (bad_token.err, TOKEN));
  g_assert_null (strstr (bad_token.out, TOKEN));

  /* Only WhatsApp templates; submit needs a name. */
  RUN (f, TOKEN, "Hello", &sms, "templates", "save", "--name", "hello", "--kind", "sms");
  g_assert_cmpint (sms.status, ==, 0);
  g_clear_pointer (&sms.out, g_free);
  g_clear_pointer (&sms.err, g_free);
  RUN (f, TOKEN, NULL, &sms, "templates", "submit", "hello");
  g_assert_cmpint (sms.status, ==, 1);
  RUN (f, TOKEN, NULL, &no_name, "templates", "submit");
  g_assert_cmpint (no_name.status, ==, 2);
}

/* The account's templates, every page, and a "next" page elsewhere is not
 * followed (the token would go with it). */
static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(TcWaTemplatesClient) client = tc_wa_templates_client_new (f->base, "v23.0", WABA_ID);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) states = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *page_1 = g_strdup_printf (
    "{\"data\":[{\"id\":\"1\",\"name\":\"spring_sale\",\"language\":\"en_US\",\"status\":\"APPROVED\","
    "\"category\":\"MARKETING\"},{\"id\":\"2\",\"name\":\"order_update\",\"language\":\"pt_BR\","
    "\"status\":\"REJECTED\",\"rejected_reason\":\"INVALID_FORMAT\",\"category\":\"utility\"},"
    "{\"id\":\"9\"}],"
    "\"paging\":{\"cursors\":{\"after\":\"QVFI\"},\"next\":\"%s/v23.0/" WABA_ID "/message_templates?after=QVFI\"}}",
    f->base);
  const char *page_2 =
    "{\"data\":[{\"id\":\"3\",\"name\":\"code\",\"language\":\"en\",\"status\":\"PENDING\","
    "\"category\":\"AUTHENTICATION\"}],"
    "\"paging\":{\"next\":\"https://elsewhere.example/v23.0/" WABA_ID "/message_templates?after=X\"}}";
  const TcWaTemplateState *state;

  f->pages = g_ptr_array_new ();
  g_ptr_array_add (f->pages, page_1);
  g_ptr_array_add (f->pages, (gpointer) page_2);
  reply (f, 200, "{\"data\":[]}");

  tc_wa_templates_client_list_async (client, NULL, store_cb, &result);
  wait_for (&result);
  states = tc_wa_templates_client_list_finish (client, result, &error);
  g_assert_no_error (error);

  /* Two pages asked for, the second by Meta's cursor; not the third. */
  g_assert_cmpuint (f->n_requests, ==, 2);
  g_assert_cmpstr (f->method, ==, "GET");
  g_assert_cmpstr (f->path, ==, TEMPLATES_PATH);
  g_assert_cmpstr (f->query, ==, "after=QVFI");
  g_assert_cmpstr (f->authorization, ==, "Bearer " TOKEN);

  /* An entry without a name is no template. */
  g_assert_cmpuint (states->len, ==, 3);
  state = g_ptr_array_index (states, 0);
  g_assert_cmpstr (state->name, ==, "spring_sale");
  g_assert_cmpstr (state->status, ==, "APPROVED");
  g_assert_cmpstr (state->category, ==, "MARKETING");
  state = g_ptr_array_index (states, 1);
  g_assert_cmpstr (state->language, ==, "pt_BR");
  g_assert_cmpstr (state->reason, ==, "INVALID_FORMAT");
  g_assert_cmpstr (state->category, ==, "UTILITY");
  state = g_ptr_array_index (states, 2);
  g_assert_cmpstr (state->name, ==, "code");
  g_assert_cmpstr (state->category, ==, "AUTHENTICATION");

  g_ptr_array_unref (f->pages);
  f->pages = NULL;
}

/* With TEXTCAST_WHATSAPP_MOCK_URL set to a Prism mock of Meta's OpenAPI
 * description (build-aux/dev contracts), submitting a template and asking
 * for its status must be requests the description allows (the mock
 * answers 422 otherwise, which the client reports as INVALID). The mock's
 * made-up answer may name another template: NOT_FOUND is fine there. */
static void
test_mock_server (Fixture       *f,
                  gconstpointer  data)
{
  const char *base = g_getenv ("TEXTCAST_WHATSAPP_MOCK_URL");
  g_autoptr(TcWaTemplatesClient) client = NULL;
  g_autoptr(TcWaTemplate) template = sample_template ();
  g_autoptr(TcWaTemplateState) submitted = NULL;
  g_autoptr(TcWaTemplateState) refreshed = NULL;
  g_autoptr(GError) error = NULL;

  if (base == NULL || base[0] == '\0')
    {
      g_test_skip ("TEXTCAST_WHATSAPP_MOCK_URL is not set (a Prism mock of Meta's OpenAPI description)");
      return;
    }

  client = tc_wa_templates_client_new (base, "v23.0", WABA_ID);
  submitted = submit (f, client, template, &error);
  if (error != NULL)
    g_error ("the template was refused by the mock: %s", error->message);
  g_assert_nonnull (submitted);

  refreshed = refresh (f, client, "spring_sale", "en_US", &error);
  if (error != NULL && !g_error_matches (error, TC_WA_CLIENT_ERROR, TC_WA_CLIENT_ERROR_NOT_FOUND))
    g_error ("the status request was refused by the mock: %s", error->message);
  g_clear_error (&error);

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GPtrArray) states = NULL;

    tc_wa_templates_client_list_async (client, NULL, store_cb, &result);
    wait_for (&result);
    states = tc_wa_templates_client_list_finish (client, result, &error);
    if (states == NULL)
      g_error ("the list request was refused by the mock: %s", error->message);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/tc/wa-client/submit/request", test_submit_request);
  ADD ("/tc/wa-client/submit/answers", test_submit_answers);
  ADD ("/tc/wa-client/submit/base-and-version", test_submit_base_and_version);
  ADD ("/tc/wa-client/submit/invalid-template", test_submit_invalid_template);
  ADD ("/tc/wa-client/submit/stored", test_submit_stored);
  ADD ("/tc/wa-client/refresh/request", test_refresh_request);
  ADD ("/tc/wa-client/refresh/answers", test_refresh_answers);
  ADD ("/tc/wa-client/refresh/not-found", test_refresh_not_found);
  ADD ("/tc/wa-client/refresh/errors", test_refresh_errors);
  ADD ("/tc/wa-client/errors", test_errors);
  ADD ("/tc/wa-client/not-configured", test_not_configured);
  ADD ("/tc/wa-client/cli", test_cli);
  ADD ("/tc/wa-client/list", test_list);
  ADD ("/tc/wa-client/openapi/mock-server", test_mock_server);

#undef ADD

  return g_test_run ();
}
