/* tc-events-endpoint.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * POST /events (see the header). The request is paused while the token is
 * looked up (environment, then keyring) and the events are stored on the
 * writer, then answered; the main loop never waits. The token is checked
 * before the body is even parsed, in time that does not depend on where
 * it differs (tc_provider_secure_equal()), and neither the token nor the
 * body ever reaches a log.
 */

#define G_LOG_DOMAIN "tc-events-endpoint"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "tc-contact-io.h"
#include "tc-events-endpoint.h"
#include "tc-events.h"
#include "tc-provider.h"
#include "tc-repository.h"
#include "tc-secrets.h"

typedef struct
{
  TcRepository      *repository;
  SoupServerMessage *msg;
  char              *token;     /* as given; cleared when freed */
  GBytes            *body;
  gboolean           batch;
  gboolean           gone;
} Request;

gboolean
tc_events_endpoint_owns_path (const char *path)
{
  return path != NULL && strcmp (path, TC_EVENTS_ENDPOINT_PATH) == 0;
}

gboolean
tc_events_endpoint_accepts_body (goffset content_length)
{
  return content_length >= 0 && content_length <= TC_EVENTS_ENDPOINT_MAX_BODY;
}

/* ------------------------------------------------------------------------
 * Answers
 */

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              JsonNode          *node)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *text = json_to_string (node, FALSE);
  char *body = g_strconcat (text, "\n", NULL);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body,
                                    strlen (body));
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *code,
               const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  if (status == SOUP_STATUS_UNAUTHORIZED)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "WWW-Authenticate", "Bearer realm=\"textcast-events\"");
  respond_json (msg, status, root);
}

void
tc_events_endpoint_refuse_body (SoupServerMessage *msg)
{
  g_autofree char *message = g_strdup_printf ("The body must have a Content-Length of at most "
                                              "%d bytes; send large imports in several batches",
                                              TC_EVENTS_ENDPOINT_MAX_BODY);

  respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", message);
}

/* ------------------------------------------------------------------------
 * The request
 */

static void
request_gone_cb (SoupServerMessage *msg,
                 gpointer           user_data)
{
  Request *request = user_data;

  request->gone = TRUE;
}

static void
request_free (Request *request)
{
  g_signal_handlers_disconnect_by_data (request->msg, request);
  g_clear_object (&request->msg);
  g_clear_object (&request->repository);
  if (request->token != NULL)
    memset (request->token, 0, strlen (request->token));
  g_free (request->token);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static void
request_resume (Request *request)
{
  if (!request->gone)
    soup_server_message_unpause (request->msg);
}

/* The token of "Authorization: Bearer TOKEN", or NULL. */
static char *
bearer_token (SoupServerMessage *msg)
{
  const char *value = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                    "Authorization");
  g_autofree char *token = NULL;

  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", strlen ("Bearer ")) != 0)
    return NULL;

  token = g_strstrip (g_strdup (value + strlen ("Bearer ")));
  if (token[0] == '\0')
    return NULL;

  return g_steal_pointer (&token);
}

/* ------------------------------------------------------------------------
 * Reading events
 */

static gboolean G_GNUC_PRINTF (3, 4)
invalid (GError     **error,
         const char  *where,
         const char  *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, TC_EVENTS_ERROR, TC_EVENTS_ERROR_INVALID, "%s%s", where, message);

  return FALSE;
}

static const char *
optional_string (JsonObject  *object,
                 const char  *member,
                 const char  *where,
                 gboolean    *ok,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *ok = invalid (error, where, "%s: give a string", member);
      return NULL;
    }

  return json_node_get_string (node);
}

/* Writes @node as compact JSON with numbers in their shortest form:
 * json-glib writes every double with 17 digits (49.9 becomes
 * 49.899999999999999), which is not what the shop sent. */
static void
append_json (GString  *out,
             JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) names = json_object_get_members (object);

      g_string_append_c (out, '{');
      for (GList *l = names; l != NULL; l = l->next)
        {
          g_autoptr(JsonNode) key = json_node_new (JSON_NODE_VALUE);
          g_autofree char *key_json = NULL;

          json_node_set_string (key, l->data);
          key_json = json_to_string (key, FALSE);
          if (l != names)
            g_string_append_c (out, ',');
          g_string_append (out, key_json);
          g_string_append_c (out, ':');
          append_json (out, json_object_get_member (object, l->data));
        }
      g_string_append_c (out, '}');
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      g_string_append_c (out, '[');
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          append_json (out, json_array_get_element (array, i));
        }
      g_string_append_c (out, ']');
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      static const char * const formats[] = { "%.15g", "%.16g", "%.17g" };
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];
      double value = json_node_get_double (node);

      /* The fewest digits that read back as the same double. */
      for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
        {
          g_ascii_formatd (buffer, sizeof buffer, formats[i], value);
          if (g_ascii_strtod (buffer, NULL) == value)
            break;
        }
      g_string_append (out, buffer);
      /* Still a number with a fraction, as sent (50.0 stays a double). */
      if (strpbrk (buffer, ".eE") == NULL)
        g_string_append (out, ".0");
    }
  else
    {
      g_autofree char *text = json_to_string (node, FALSE);

      g_string_append (out, text);
    }
}

/* One event object; @where is "" or "events[N]: ". */
static TcEvent *
read_event (JsonNode    *node,
            const char  *where,
            GError     **error)
{
  static const char * const members[] = {
    "name", "phone", "occurred_at", "id", "source", "properties", NULL
  };
  g_autoptr(GList) names = NULL;
  g_autoptr(TcEvent) event = NULL;
  JsonObject *object;
  JsonNode *occurred;
  JsonNode *properties;
  const char *name;
  const char *phone;
  gboolean ok = TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (error, where, "an event is a JSON object with at least name and phone");
      return NULL;
    }
  object = json_node_get_object (node);

  names = json_object_get_members (object);
  for (GList *l = names; l != NULL; l = l->next)
    if (!g_strv_contains (members, l->data))
      {
        invalid (error, where, "%s: unknown member; an event has name, phone, occurred_at, id, "
                 "source and properties", (const char *) l->data);
        return NULL;
      }

  name = optional_string (object, "name", where, &ok, error);
  phone = ok ? optional_string (object, "phone", where, &ok, error) : NULL;
  if (!ok)
    return NULL;
  if (name == NULL || phone == NULL)
    {
      invalid (error, where, "%s: missing", name == NULL ? "name" : "phone");
      return NULL;
    }

  event = tc_event_new (name, phone);
  event->key = g_strdup (optional_string (object, "id", where, &ok, error));
  if (ok)
    event->source = g_strdup (optional_string (object, "source", where, &ok, error));
  if (!ok)
    return NULL;
  if (event->source == NULL)
    event->source = g_strdup ("api");

  occurred = json_object_get_member (object, "occurred_at");
  if (occurred != NULL && !JSON_NODE_HOLDS_NULL (occurred))
    {
      GType type = JSON_NODE_HOLDS_VALUE (occurred) ? json_node_get_value_type (occurred)
                                                    : G_TYPE_INVALID;

      if (type == G_TYPE_INT64)
        event->occurred_at = json_node_get_int (occurred);
      else if (type != G_TYPE_STRING ||
               !tc_parse_time (json_node_get_string (occurred), &event->occurred_at))
        {
          invalid (error, where, "occurred_at: give ISO 8601 with an offset or Z "
                   "(2026-03-01T09:30:00Z) or unix seconds");
          return NULL;
        }
    }

  properties = json_object_get_member (object, "properties");
  if (properties != NULL && !JSON_NODE_HOLDS_NULL (properties))
    {
      if (!JSON_NODE_HOLDS_OBJECT (properties))
        {
          invalid (error, where, "properties: give a JSON object");
          return NULL;
        }
      {
        GString *text = g_string_new (NULL);

        append_json (text, properties);
        event->properties = g_string_free (text, FALSE);
      }
    }

  return g_steal_pointer (&event);
}

/* The events of the body, checked: (element-type TcEvent). */
GPtrArray *
_tc_events_endpoint_read (GBytes    *body,
                          gboolean  *batch,
                          guint     *status,
                          GError   **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_event_free);
  g_autoptr(GError) parse_error = NULL;
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);
  JsonNode *root;
  JsonNode *list;

  *status = SOUP_STATUS_BAD_REQUEST;
  if (size == 0 || !json_parser_load_from_data (parser, data, (gssize) size, &parse_error))
    {
      g_set_error (error, TC_EVENTS_ERROR, TC_EVENTS_ERROR_INVALID,
                   "The body is not JSON (%s)",
                   parse_error != NULL ? parse_error->message : "empty");
      return NULL;
    }

  root = json_parser_get_root (parser);
  list = JSON_NODE_HOLDS_OBJECT (root) ? json_object_get_member (json_node_get_object (root),
                                                                 "events")
                                       : NULL;
  *batch = list != NULL;
  if (!*batch)
    {
      TcEvent *event = read_event (root, "", error);

      if (event == NULL)
        return NULL;
      g_ptr_array_add (events, event);
      return g_steal_pointer (&events);
    }

  if (json_object_get_size (json_node_get_object (root)) != 1 || !JSON_NODE_HOLDS_ARRAY (list) ||
      json_array_get_length (json_node_get_array (list)) == 0 ||
      json_array_get_length (json_node_get_array (list)) > TC_EVENTS_ENDPOINT_MAX_BATCH)
    {
      g_set_error (error, TC_EVENTS_ERROR, TC_EVENTS_ERROR_INVALID,
                   "A batch is {\"events\": [EVENT, …]} with 1 to %d events and nothing else",
                   TC_EVENTS_ENDPOINT_MAX_BATCH);
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    {
      g_autofree char *where = g_strdup_printf ("events[%u]: ", i);
      TcEvent *event = read_event (json_array_get_element (json_node_get_array (list), i), where,
                                   error);

      if (event == NULL)
        return NULL;
      g_ptr_array_add (events, event);
    }

  return g_steal_pointer (&events);
}

/* ------------------------------------------------------------------------
 * The steps
 */

static void
build_outcome (JsonBuilder          *builder,
               const TcEventOutcome *outcome)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, outcome->event->id);
  json_builder_set_member_name (builder, "inserted");
  json_builder_add_boolean_value (builder, outcome->inserted);
  json_builder_set_member_name (builder, "contact_created");
  json_builder_add_boolean_value (builder, outcome->contact_created);
  json_builder_end_object (builder);
}

static void
respond_record_error (Request      *request,
                      const GError *error)
{
  if (g_error_matches (error, TC_EVENTS_ERROR, TC_EVENTS_ERROR_INVALID))
    respond_error (request->msg, SOUP_STATUS_BAD_REQUEST, "invalid_event", error->message);
  else if (g_error_matches (error, TC_EVENTS_ERROR, TC_EVENTS_ERROR_ERASED))
    respond_error (request->msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "erased", error->message);
  else
    {
      g_message ("Cannot record events: %s", error->message);
      respond_error (request->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable",
                     "The events could not be stored; try again in a moment");
    }
}

static void
record_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) outcomes = NULL;
  g_autoptr(TcEventOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;

  if (request->batch)
    outcomes = tc_events_record_batch_finish (TC_REPOSITORY (object), result, &error);
  else
    outcome = tc_events_record_finish (TC_REPOSITORY (object), result, &error);

  if (request->gone)
    return;

  if (error != NULL)
    {
      respond_record_error (request, error);
      request_resume (request);
      return;
    }

  if (request->batch)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "events");
      json_builder_begin_array (builder);
      for (guint i = 0; i < outcomes->len; i++)
        build_outcome (builder, g_ptr_array_index (outcomes, i));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  else
    build_outcome (builder, outcome);

  root = json_builder_get_root (builder);
  respond_json (request->msg, SOUP_STATUS_OK, root);
  request_resume (request);
}

static void
token_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  TcSecretSource source = TC_SECRET_SOURCE_NONE;
  g_autofree char *token = NULL;
  guint status = 0;
  Request *owned;

  token = tc_secrets_lookup_finish (result, &source, &error);
  if (request->gone)
    goto out;

  if (token == NULL)
    {
      if (error != NULL)
        g_message ("Cannot read the events token: %s", error->message);
      respond_error (request->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "not_configured",
                     "The events endpoint has no token yet: set one in Textcast's "
                     "preferences, or TEXTCAST_EVENTS_TOKEN for headless use");
      request_resume (request);
      goto out;
    }

  if (!tc_provider_secure_equal (request->token, token))
    {
      respond_error (request->msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                     "The bearer token is not the events token");
      request_resume (request);
      goto out;
    }

  events = _tc_events_endpoint_read (request->body, &request->batch, &status, &error);
  if (events == NULL)
    {
      respond_error (request->msg, status,
                     g_str_has_prefix (error->message, "The body is not JSON")
                     ? "invalid_json" : "invalid_event",
                     error->message);
      request_resume (request);
      goto out;
    }

  owned = g_steal_pointer (&request);
  if (owned->batch)
    tc_events_record_batch_async (owned->repository, events, NULL, NULL, record_cb, owned);
  else
    tc_events_record_async (owned->repository, g_ptr_array_index (events, 0), NULL, NULL,
                            record_cb, owned);

out:
  if (token != NULL)
    memset (token, 0, strlen (token));
}

void
tc_events_endpoint_handle (TcRepository      *repository,
                           SoupServerMessage *msg)
{
  Request *request;
  g_autofree char *token = NULL;
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                    "POST");
      respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                     "Send events with POST");
      return;
    }

  token = bearer_token (msg);
  if (token == NULL)
    {
      respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                     "Send the events token as Authorization: Bearer TOKEN");
      return;
    }

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  if (g_bytes_get_size (body) > TC_EVENTS_ENDPOINT_MAX_BODY)
    {
      tc_events_endpoint_refuse_body (msg);
      return;
    }

  request = g_new0 (Request, 1);
  request->repository = g_object_ref (repository);
  request->msg = g_object_ref (msg);
  request->token = g_steal_pointer (&token);
  request->body = g_steal_pointer (&body);
  g_signal_connect (msg, "finished", G_CALLBACK (request_gone_cb), request);
  g_signal_connect (msg, "disconnected", G_CALLBACK (request_gone_cb), request);

  soup_server_message_pause (msg);
  tc_secrets_lookup_async (TC_SECRET_EVENTS_TOKEN, NULL, NULL, token_cb, request);
}
