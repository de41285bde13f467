/* tc-wa-templates-client.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Meta's WhatsApp Business Management API for message templates: submit a
 * template for approval, and ask for its approval status. Requests run on
 * the caller's main context through the application's SoupSession; the
 * answer is read in chunks and refused beyond TC_WA_MAX_RESPONSE_BYTES, so
 * a broken or hostile server cannot make us hold an unbounded body.
 *
 * The access token comes from the environment or, for a client made from
 * the workspace settings, the keyring (tc-secrets.h). It goes into the
 * Authorization header and nowhere else: error messages built from Meta's
 * answers have it masked, should the server echo it.
 */

#define G_LOG_DOMAIN "tc-wa-templates-client"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tc-http-call.h"
#include "tc-secrets.h"
#include "tc-settings.h"
#include "tc-soup.h"
#include "tc-template-store.h"
#include "tc-wa-templates-client.h"

#define REFRESH_FIELDS   "name,status,language,rejected_reason,category"

/* Graph API error codes. */
#define GRAPH_CODE_INVALID_PARAMETER 100
#define GRAPH_CODE_TOO_MANY_CALLS    4
#define GRAPH_CODE_ACCESS_TOKEN      190
#define GRAPH_CODE_RATE_LIMIT        80008
#define GRAPH_CODE_SPAM_RATE_LIMIT   130429

/* Not among libsoup 3.2's SoupStatus names. */
#define HTTP_TOO_MANY_REQUESTS 429

G_DEFINE_QUARK (tc-wa-client-error-quark, tc_wa_client_error)

G_DEFINE_BOXED_TYPE (TcWaTemplateState, tc_wa_template_state,
                     tc_wa_template_state_copy, tc_wa_template_state_free)

struct _TcWaTemplatesClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *api_base;
  char        *api_version;
  char        *waba_id;
  char        *token;
};

G_DEFINE_FINAL_TYPE (TcWaTemplatesClient, tc_wa_templates_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_API_BASE,
  PROP_API_VERSION,
  PROP_WABA_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  OPERATION_SUBMIT,
  OPERATION_REFRESH,
  OPERATION_LIST,
} Operation;

typedef struct
{
  Operation     operation;
  TcHttpCall   *call;
  char         *name;
  char         *language;
  GPtrArray    *states;     /* LIST: what the pages so far gave */
  guint         n_pages;
} RequestData;

static void
request_data_free (RequestData *data)
{
  g_clear_pointer (&data->states, g_ptr_array_unref);
  g_clear_object (&data->call);
  g_clear_pointer (&data->name, g_free);
  g_clear_pointer (&data->language, g_free);
  g_free (data);
}

/* ------------------------------------------------------------------------
 * TcWaTemplateState
 */

static TcWaTemplateState *
state_new (const char *id,
           const char *name,
           const char *language,
           const char *status,
           const char *reason)
{
  TcWaTemplateState *state = g_new0 (TcWaTemplateState, 1);

  state->id = g_strdup (id != NULL ? id : "");
  state->name = g_strdup (name != NULL ? name : "");
  state->language = g_strdup (language != NULL ? language : "");
  state->status = g_ascii_strup (status, -1);
  /* Meta says "NONE" when a template has no rejection reason. */
  state->reason = g_strdup (reason != NULL && strcmp (reason, "NONE") != 0 ? reason : "");
  state->category = g_strdup ("");

  return state;
}

TcWaTemplateState *
tc_wa_template_state_copy (const TcWaTemplateState *state)
{
  TcWaTemplateState *copy;

  g_return_val_if_fail (state != NULL, NULL);

  copy = g_new0 (TcWaTemplateState, 1);
  copy->id = g_strdup (state->id);
  copy->name = g_strdup (state->name);
  copy->language = g_strdup (state->language);
  copy->status = g_strdup (state->status);
  copy->reason = g_strdup (state->reason);
  copy->category = g_strdup (state->category != NULL ? state->category : "");

  return copy;
}

void
tc_wa_template_state_free (TcWaTemplateState *state)
{
  if (state == NULL)
    return;

  g_free (state->id);
  g_free (state->name);
  g_free (state->language);
  g_free (state->status);
  g_free (state->reason);
  g_free (state->category);
  g_free (state);
}

char *
tc_wa_template_state_stored_status (const TcWaTemplateState *state)
{
  g_return_val_if_fail (state != NULL, NULL);

  return g_ascii_strdown (state->status, -1);
}

void
tc_wa_template_state_store_async (const TcWaTemplateState *state,
                                  TcRepository            *repository,
                                  gint64                   template_id,
                                  GCancellable            *cancellable,
                                  GAsyncReadyCallback      callback,
                                  gpointer                 user_data)
{
  g_autofree char *status = NULL;

  g_return_if_fail (state != NULL);
  g_return_if_fail (TC_IS_REPOSITORY (repository));

  status = tc_wa_template_state_stored_status (state);
  tc_repository_set_template_status_async (repository, template_id, status, state->reason,
                                           cancellable, callback, user_data);
}

gboolean
tc_wa_template_state_store_finish (TcRepository  *repository,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return tc_repository_set_template_status_finish (repository, result, error);
}

/* ------------------------------------------------------------------------
 * Errors
 */

static gint64
member_int (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;

  return json_node_get_int (node);
}

/* Turns an HTTP status and Graph API error object (either may say nothing:
 * 0, NULL) into a GError in plain words. */
static GError *
map_error (guint        http_status,
           JsonObject  *graph_error,
           const char  *token)
{
  const char *meta_message = NULL;
  const char *user_message = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *text = NULL;
  gint64 code = 0;
  TcWaClientError kind;

  if (graph_error != NULL)
    {
      meta_message = tc_http_member_string (graph_error, "message");
      user_message = tc_http_member_string (graph_error, "error_user_msg");
      code = member_int (graph_error, "code");
    }

  if (meta_message != NULL && user_message != NULL && user_message[0] != '\0')
    detail = g_strdup_printf ("%s (%s)", user_message, meta_message);
  else if (user_message != NULL && user_message[0] != '\0')
    detail = g_strdup (user_message);
  else if (meta_message != NULL && meta_message[0] != '\0')
    detail = g_strdup (meta_message);
  else
    detail = g_strdup_printf ("HTTP %u", http_status);

  if (code == GRAPH_CODE_ACCESS_TOKEN || (code == 0 && http_status == SOUP_STATUS_UNAUTHORIZED))
    {
      kind = TC_WA_CLIENT_ERROR_AUTH;
      text = g_strdup_printf ("the access token is not valid or has expired: %s", detail);
    }
  else if (code == GRAPH_CODE_INVALID_PARAMETER)
    {
      kind = TC_WA_CLIENT_ERROR_INVALID;
      text = g_strdup_printf ("Meta refused a parameter of the request: %s", detail);
    }
  else if (code == GRAPH_CODE_RATE_LIMIT || code == GRAPH_CODE_TOO_MANY_CALLS ||
           code == GRAPH_CODE_SPAM_RATE_LIMIT || http_status == HTTP_TOO_MANY_REQUESTS)
    {
      kind = TC_WA_CLIENT_ERROR_RATE_LIMITED;
      text = g_strdup_printf ("rate limited: Meta received too many requests; try again in a few minutes (%s)",
                              detail);
    }
  else if (http_status == SOUP_STATUS_UNAUTHORIZED)
    {
      kind = TC_WA_CLIENT_ERROR_AUTH;
      text = g_strdup_printf ("the access token is not valid or has expired: %s", detail);
    }
  else if (http_status >= 500)
    {
      kind = TC_WA_CLIENT_ERROR_SERVER;
      text = g_strdup_printf ("Meta is having trouble (HTTP %u); try again later", http_status);
    }
  else
    {
      kind = TC_WA_CLIENT_ERROR_FAILED;
      text = g_strdup_printf ("Meta refused the request: %s", detail);
    }

  {
    g_autofree char *masked = tc_http_mask_secret (text, token);

    return g_error_new_literal (TC_WA_CLIENT_ERROR, kind, masked);
  }
}

/* ------------------------------------------------------------------------
 * Answers
 */

/* Meta's word, upper case ("MARKETING"); left "" when it said none. */
static void
set_category (TcWaTemplateState *state,
              const char        *category)
{
  if (category == NULL || category[0] == '\0')
    return;
  g_free (state->category);
  state->category = g_ascii_strup (category, -1);
}

static TcWaTemplateState *
parse_submit (JsonObject  *object,
              RequestData *data,
              GError     **error)
{
  TcWaTemplateState *state;
  const char *id = tc_http_member_string (object, "id");
  const char *status = tc_http_member_string (object, "status");

  if (id == NULL || id[0] == '\0')
    {
      g_set_error_literal (error, TC_WA_CLIENT_ERROR, TC_WA_CLIENT_ERROR_BAD_RESPONSE,
                           "Meta's answer to the submission has no template id");
      return NULL;
    }

  /* A new template is under review until Meta says otherwise. */
  state = state_new (id, data->name, data->language,
                     status != NULL && status[0] != '\0' ? status : "PENDING", "");
  set_category (state, tc_http_member_string (object, "category"));
  return state;
}

static TcWaTemplateState *
parse_refresh (JsonObject  *object,
               RequestData *data,
               GError     **error)
{
  JsonNode *list = json_object_get_member (object, "data");
  JsonArray *array;

  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error_literal (error, TC_WA_CLIENT_ERROR, TC_WA_CLIENT_ERROR_BAD_RESPONSE,
                           "Meta's list of templates has no \"data\" array");
      return NULL;
    }
  array = json_node_get_array (list);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *entry;
      const char *status;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      entry = json_node_get_object (node);
      if (g_strcmp0 (tc_http_member_string (entry, "name"), data->name) != 0)
        continue;
      if (data->language[0] != '\0' && g_strcmp0 (tc_http_member_string (entry, "language"), data->language) != 0)
        continue;

      status = tc_http_member_string (entry, "status");
      if (status == NULL || status[0] == '\0')
        {
          g_set_error (error, TC_WA_CLIENT_ERROR, TC_WA_CLIENT_ERROR_BAD_RESPONSE,
                       "Meta's answer gives no status for template “%s”", data->name);
          return NULL;
        }

      {
        TcWaTemplateState *state = state_new (tc_http_member_string (entry, "id"), data->name,
                                              tc_http_member_string (entry, "language"),
                                              status, tc_http_member_string (entry, "rejected_reason"));

        set_category (state, tc_http_member_string (entry, "category"));
        return state;
      }
    }

  if (data->language[0] != '\0')
    g_set_error (error, TC_WA_CLIENT_ERROR, TC_WA_CLIENT_ERROR_NOT_FOUND,
                 "Meta has no template “%s” in language “%s” for this WhatsApp Business Account; submit it first",
                 data->name, data->language);
  else
    g_set_error (error, TC_WA_CLIENT_ERROR, TC_WA_CLIENT_ERROR_NOT_FOUND,
                 "Meta has no template “%s” for this WhatsApp Business Account; submit it first",
                 data->name);

  return NULL;
}

/* One page of the account's templates into data->states; *@next gets the
 * next page's URL when Meta gives one. */
static gboolean
parse_list_page (JsonObject  *object,
                 RequestData *data,
                 char       **next,
                 GError     **error)
{
  JsonNode *list = json_object_get_member (object, "data");
  JsonObject *paging = tc_http_member_object (object, "paging");
  JsonArray *array;

  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error_literal (error, TC_WA_CLIENT_ERROR, TC_WA_CLIENT_ERROR_BAD_RESPONSE,
                           "Meta's list of templates has no \"data\" array");
      return FALSE;
    }
  array = json_node_get_array (list);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *entry;
      TcWaTemplateState *state;
      const char *name, *status;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      entry = json_node_get_object (node);
      name = tc_http_member_string (entry, "name");
      status = tc_http_member_string (entry, "status");
      if (name == NULL || name[0] == '\0')
        continue;
      state = state_new (tc_http_member_string (entry, "id"), name,
                         tc_http_member_string (entry, "language"),
                         status != NULL ? status : "", tc_http_member_string (entry, "rejected_reason"));
      set_category (state, tc_http_member_string (entry, "category"));
      g_ptr_array_add (data->states, state);
    }

  *next = g_strdup (tc_http_member_string (paging, "next"));
  return TRUE;
}

static void start_request (TcWaTemplatesClient *self,
                           GTask               *task,
                           const char          *method,
                           const char          *uri,
                           JsonNode            *body);

static void
finish_request (GTask *task)
{
  TcWaTemplatesClient *self = g_task_get_source_object (task);
  RequestData *data = g_task_get_task_data (task);
  guint http_status = tc_http_call_get_status (data->call);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object = NULL;
  JsonNode *root = NULL;
  TcWaTemplateState *state;
  gboolean parsed;
  gsize length;
  const guint8 *body = tc_http_call_get_body (data->call, &length);

  parsed = length > 0 &&
           json_parser_load_from_data (parser, (const char *) body, length, &parse_error);
  if (parsed)
    root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    object = json_node_get_object (root);

  if (object != NULL && json_object_has_member (object, "error"))
    {
      JsonNode *graph_error = json_object_get_member (object, "error");

      g_task_return_error (task, map_error (http_status,
                                            JSON_NODE_HOLDS_OBJECT (graph_error)
                                              ? json_node_get_object (graph_error) : NULL,
                                            self->token));
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (http_status))
    {
      g_task_return_error (task, map_error (http_status, NULL, self->token));
      return;
    }
  if (object == NULL)
    {
      g_task_return_new_error (task, TC_WA_CLIENT_ERROR, TC_WA_CLIENT_ERROR_BAD_RESPONSE,
                               "Meta's answer is not a JSON object");
      return;
    }

  if (data->operation == OPERATION_LIST)
    {
      g_autofree char *next = NULL;
      g_autofree char *prefix = g_strconcat (self->api_base, "/", NULL);

      if (!parse_list_page (object, data, &next, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      /* The next page, only on the same API: the token goes with it. */
      if (next != NULL && g_str_has_prefix (next, prefix) && ++data->n_pages < TC_WA_LIST_MAX_PAGES)
        {
          g_clear_object (&data->call);
          start_request (self, g_object_ref (task), SOUP_METHOD_GET, next, NULL);
          return;
        }
      g_task_return_pointer (task, g_steal_pointer (&data->states), (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  if (data->operation == OPERATION_SUBMIT)
    state = parse_submit (object, data, &error);
  else
    state = parse_refresh (object, data, &error);

  if (state == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, state, (GDestroyNotify) tc_wa_template_state_free);
}

static void
call_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcHttpCall *call = TC_HTTP_CALL (object);
  g_autoptr(GError) error = NULL;

  if (tc_http_call_send_finish (call, result, &error))
    finish_request (task);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (error->domain == TC_HTTP_CALL_ERROR)
    g_task_return_new_error (task, TC_WA_CLIENT_ERROR, TC_WA_CLIENT_ERROR_BAD_RESPONSE,
                             "the answer from Meta is larger than %u KiB; it was refused",
                             (guint) (TC_WA_MAX_RESPONSE_BYTES / 1024));
  else if (!tc_http_call_get_answered (call))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                             "cannot reach Meta's API: %s", error->message);
  else
    g_task_return_new_error (task, TC_WA_CLIENT_ERROR, TC_WA_CLIENT_ERROR_BAD_RESPONSE,
                             "the answer from Meta could not be read: %s", error->message);
}

/* Sends @method @uri with @body (NULL: none) for @task, whose data is set. */
static void
start_request (TcWaTemplatesClient *self,
               GTask               *task,
               const char          *method,
               const char          *uri,
               JsonNode            *body)
{
  RequestData *data = g_task_get_task_data (task);

  data->call = tc_http_call_new (method, uri, TC_HTTP_CALL_NONE);
  if (data->call == NULL)
    {
      g_task_return_new_error (task, TC_WA_CLIENT_ERROR, TC_WA_CLIENT_ERROR_NOT_CONFIGURED,
                               "the WhatsApp API address “%s” is not a valid URL; check the setting %s",
                               self->api_base, TC_SETTING_WHATSAPP_API_BASE);
      g_object_unref (task);
      return;
    }

  tc_http_call_set_bearer (data->call, self->token);
  if (body != NULL)
    {
      char *text = json_to_string (body, FALSE);
      g_autoptr(GBytes) bytes = g_bytes_new_take (text, strlen (text));

      tc_http_call_set_body (data->call, "application/json", bytes);
    }

  tc_http_call_send_async (data->call, self->session, 0, TC_WA_MAX_RESPONSE_BYTES,
                           g_task_get_cancellable (task), call_done_cb, task);
}

/* ------------------------------------------------------------------------
 * The client
 */

static void
tc_wa_templates_client_finalize (GObject *object)
{
  TcWaTemplatesClient *self = (TcWaTemplatesClient *) object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->api_base, g_free);
  g_clear_pointer (&self->api_version, g_free);
  g_clear_pointer (&self->waba_id, g_free);
  tc_http_clear_secret (&self->token);

  G_OBJECT_CLASS (tc_wa_templates_client_parent_class)->finalize (object);
}

static void
tc_wa_templates_client_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  TcWaTemplatesClient *self = TC_WA_TEMPLATES_CLIENT (object);

  switch (prop_id)
    {
    case PROP_API_BASE:
      g_value_set_string (value, self->api_base);
      break;
    case PROP_API_VERSION:
      g_value_set_string (value, self->api_version);
      break;
    case PROP_WABA_ID:
      g_value_set_string (value, self->waba_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_wa_templates_client_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  TcWaTemplatesClient *self = TC_WA_TEMPLATES_CLIENT (object);

  /* Construct-only: set once, so there is nothing to notify. */
  switch (prop_id)
    {
    case PROP_API_BASE:
      g_free (self->api_base);
      self->api_base = tc_http_clean_value (g_value_get_string (value), TC_WA_DEFAULT_API_BASE,
                                            TRUE);
      break;
    case PROP_API_VERSION:
      g_free (self->api_version);
      self->api_version = tc_http_clean_value (g_value_get_string (value),
                                               TC_WA_DEFAULT_API_VERSION, TRUE);
      break;
    case PROP_WABA_ID:
      g_free (self->waba_id);
      self->waba_id = tc_http_clean_value (g_value_get_string (value), "", FALSE);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_wa_templates_client_class_init (TcWaTemplatesClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tc_wa_templates_client_finalize;
  object_class->get_property = tc_wa_templates_client_get_property;
  object_class->set_property = tc_wa_templates_client_set_property;

  properties[PROP_API_BASE] =
    g_param_spec_string ("api-base", NULL, NULL, TC_WA_DEFAULT_API_BASE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_API_VERSION] =
    g_param_spec_string ("api-version", NULL, NULL, TC_WA_DEFAULT_API_VERSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_WABA_ID] =
    g_param_spec_string ("waba-id", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tc_wa_templates_client_init (TcWaTemplatesClient *self)
{
  const char *token = g_getenv (TC_WA_TOKEN_ENV);

  self->session = tc_soup_session_new ();
  self->token = tc_http_clean_value (token, "", FALSE);
}

TcWaTemplatesClient *
tc_wa_templates_client_new (const char *api_base,
                            const char *api_version,
                            const char *waba_id)
{
  return g_object_new (TC_TYPE_WA_TEMPLATES_CLIENT,
                       "api-base", api_base,
                       "api-version", api_version,
                       "waba-id", waba_id,
                       NULL);
}

void
tc_wa_templates_client_set_token (TcWaTemplatesClient *self,
                                  const char          *token)
{
  g_return_if_fail (TC_IS_WA_TEMPLATES_CLIENT (self));

  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  self->token = tc_http_clean_value (token != NULL ? token : "", "", FALSE);
}

static void
keyring_token_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcWaTemplatesClient *client = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = tc_secrets_lookup_keyring_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Without a keyring the client is still made: it says what to set. */
  if (error != NULL)
    g_debug ("No access token from the keyring: %s", error->message);
  if (token != NULL)
    {
      g_free (client->token);
      client->token = tc_http_clean_value (token, "", FALSE);
      memset (token, 0, strlen (token));
    }

  g_task_return_pointer (task, g_object_ref (client), g_object_unref);
}

static void
settings_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GHashTable) settings = NULL;
  g_autoptr(GError) error = NULL;
  TcWaTemplatesClient *client;

  settings = tc_settings_get_all_finish (TC_REPOSITORY (object), result, &error);
  if (settings == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  client = tc_wa_templates_client_new (g_hash_table_lookup (settings, TC_SETTING_WHATSAPP_API_BASE),
                                       g_hash_table_lookup (settings, TC_SETTING_WHATSAPP_API_VERSION),
                                       g_hash_table_lookup (settings, TC_SETTING_WHATSAPP_WABA_ID));

  /* The environment's token wins; else the one saved in Preferences →
   * Providers (the keyring, under the WhatsApp Business Account id). */
  if (client->token[0] == '\0' && client->waba_id[0] != '\0')
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      g_task_set_task_data (task, client, g_object_unref);
      tc_secrets_lookup_keyring_async (TC_SECRET_WHATSAPP_TOKEN, client->waba_id, cancellable,
                                       keyring_token_cb, g_steal_pointer (&task));
      return;
    }

  g_task_return_pointer (task, client, g_object_unref);
}

void
tc_wa_templates_client_new_from_settings_async (TcRepository        *repository,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TC_IS_REPOSITORY (repository));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_wa_templates_client_new_from_settings_async);
  tc_settings_get_all_async (repository, "whatsapp.", cancellable, settings_cb, g_steal_pointer (&task));
}

TcWaTemplatesClient *
tc_wa_templates_client_new_from_settings_finish (GAsyncResult  *result,
                                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_wa_templates_client_new_from_settings_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
tc_wa_templates_client_get_api_base (TcWaTemplatesClient *self)
{
  g_return_val_if_fail (TC_IS_WA_TEMPLATES_CLIENT (self), NULL);

  return self->api_base;
}

const char *
tc_wa_templates_client_get_api_version (TcWaTemplatesClient *self)
{
  g_return_val_if_fail (TC_IS_WA_TEMPLATES_CLIENT (self), NULL);

  return self->api_version;
}

const char *
tc_wa_templates_client_get_waba_id (TcWaTemplatesClient *self)
{
  g_return_val_if_fail (TC_IS_WA_TEMPLATES_CLIENT (self), NULL);

  return self->waba_id;
}

gboolean
tc_wa_templates_client_check_configured (TcWaTemplatesClient  *self,
                                         GError              **error)
{
  g_return_val_if_fail (TC_IS_WA_TEMPLATES_CLIENT (self), FALSE);

  if (self->token[0] == '\0')
    {
      g_set_error (error, TC_WA_CLIENT_ERROR, TC_WA_CLIENT_ERROR_NOT_CONFIGURED,
                   "no WhatsApp access token: set %s in the environment, or save the "
                   "access token in Preferences → Providers (textcast-cli providers set "
                   "whatsapp --token-stdin)", TC_WA_TOKEN_ENV);
      return FALSE;
    }
  if (self->waba_id[0] == '\0')
    {
      g_set_error (error, TC_WA_CLIENT_ERROR, TC_WA_CLIENT_ERROR_NOT_CONFIGURED,
                   "no WhatsApp Business Account: set the WhatsApp Business Account id in settings (%s)",
                   TC_SETTING_WHATSAPP_WABA_ID);
      return FALSE;
    }
  /* The id is a path segment: digits only, so it cannot name another path. */
  for (const char *p = self->waba_id; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        {
          g_set_error (error, TC_WA_CLIENT_ERROR, TC_WA_CLIENT_ERROR_NOT_CONFIGURED,
                       "the WhatsApp Business Account id “%s” is not a number; check the setting %s",
                       self->waba_id, TC_SETTING_WHATSAPP_WABA_ID);
          return FALSE;
        }
    }

  return TRUE;
}

static char *
templates_uri (TcWaTemplatesClient *self)
{
  return g_strdup_printf ("%s/%s/%s/message_templates", self->api_base, self->api_version, self->waba_id);
}

void
tc_wa_templates_client_submit_async (TcWaTemplatesClient *self,
                                     TcWaTemplate        *template,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  RequestData *data;

  g_return_if_fail (TC_IS_WA_TEMPLATES_CLIENT (self));
  g_return_if_fail (TC_IS_WA_TEMPLATE (template));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_wa_templates_client_submit_async);

  if (!tc_wa_templates_client_check_configured (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  body = tc_wa_template_build_create_request (template, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (RequestData, 1);
  data->operation = OPERATION_SUBMIT;
  data->name = g_strdup (tc_wa_template_get_name (template));
  data->language = g_strdup (tc_wa_template_get_language (template));
  g_task_set_task_data (task, data, (GDestroyNotify) request_data_free);

  uri = templates_uri (self);
  start_request (self, g_steal_pointer (&task), SOUP_METHOD_POST, uri, body);
}

TcWaTemplateState *
tc_wa_templates_client_submit_finish (TcWaTemplatesClient  *self,
                                      GAsyncResult         *result,
                                      GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_wa_templates_client_submit_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tc_wa_templates_client_refresh_async (TcWaTemplatesClient *self,
                                      const char          *name,
                                      const char          *language,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *base = NULL;
  g_autofree char *uri = NULL;
  RequestData *data;

  g_return_if_fail (TC_IS_WA_TEMPLATES_CLIENT (self));
  g_return_if_fail (name != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_wa_templates_client_refresh_async);

  if (!tc_wa_templates_client_check_configured (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (RequestData, 1);
  data->operation = OPERATION_REFRESH;
  data->name = g_strdup (name);
  data->language = g_strdup (language != NULL ? language : "");
  g_task_set_task_data (task, data, (GDestroyNotify) request_data_free);

  escaped = g_uri_escape_string (name, NULL, FALSE);
  base = templates_uri (self);
  uri = g_strdup_printf ("%s?name=%s&fields=" REFRESH_FIELDS, base, escaped);
  start_request (self, g_steal_pointer (&task), SOUP_METHOD_GET, uri, NULL);
}

TcWaTemplateState *
tc_wa_templates_client_refresh_finish (TcWaTemplatesClient  *self,
                                       GAsyncResult         *result,
                                       GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_wa_templates_client_refresh_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tc_wa_templates_client_list_async (TcWaTemplatesClient *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *uri = NULL;
  RequestData *data;

  g_return_if_fail (TC_IS_WA_TEMPLATES_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_wa_templates_client_list_async);

  if (!tc_wa_templates_client_check_configured (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (RequestData, 1);
  data->operation = OPERATION_LIST;
  data->states = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_wa_template_state_free);
  g_task_set_task_data (task, data, (GDestroyNotify) request_data_free);

  base = templates_uri (self);
  uri = g_strdup_printf ("%s?fields=" REFRESH_FIELDS "&limit=100", base);
  start_request (self, g_steal_pointer (&task), SOUP_METHOD_GET, uri, NULL);
}

GPtrArray *
tc_wa_templates_client_list_finish (TcWaTemplatesClient  *self,
                                    GAsyncResult         *result,
                                    GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_wa_templates_client_list_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
