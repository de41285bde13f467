/* tc-simulator.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built-in simulator: a SoupServer speaking Twilio's and Meta's wire
 * formats (see tc-simulator.h for the routes).
 *
 * Everything runs on the main context of the thread that called
 * tc_simulator_listen(): requests are answered synchronously (parsing,
 * validation, the log line and its flush take a few microseconds), and
 * what happens to a message afterwards is driven by one timer.
 *
 * Memory stays flat however many messages go through:
 *   - A message's later life (sent, delivered, read, a reply) is a walk
 *     through step queues, one FIFO per step. Every step of one kind waits
 *     the same delay after the previous step finished, so each queue is
 *     sorted by due time and one GSource whose ready time is the earliest
 *     head is the only timer, whatever the number of messages.
 *   - At most MAX_CALLBACKS_IN_FLIGHT callbacks are posted at once; the
 *     others wait in their queue. Messages still walking are counted, and
 *     beyond MAX_PENDING a create request is answered 429 (as when
 *     max_rate is exceeded): the simulator pushes back on a sender that
 *     outruns its callback receiver instead of growing.
 *   - Twilio messages are kept for status polling and lookups, the newest
 *     MAX_RETAINED of them; older ones answer 404 like a message Twilio
 *     deleted. WhatsApp messages are not kept: Meta has no way to look one
 *     up.
 *   - Account credentials and callback URLs are shared between the
 *     messages that use them (interned, reference-counted).
 *
 * Determinism. Each accepted message draws the same five numbers from
 * the one GRand seeded with config.seed, in the order requests are
 * accepted: its outcome, its error code, whether it is read, whether it
 * gets a reply, and which reply. Message ids are not drawn from it (they
 * must differ between runs, or a restarted simulator would repeat the
 * ids a sender has already stored). The one thing timing can change is
 * an opt-out: after a simulated STOP, Twilio refuses further messages from
 * that sender to that number with 21610, as the real service does.
 */

#define G_LOG_DOMAIN "tc-simulator"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tc-simulator.h"
#include "tc-simulator-templates.h"
#include "tc-sms.h"
#include "tc-soup.h"
#include "tc-twilio.h"
#include "tc-whatsapp-cloud.h"

#define TWILIO_PREFIX            "/2010-04-01/Accounts/"
#define TWILIO_API_VERSION       "2010-04-01"
#define TWILIO_MAX_REQUEST       (64 * 1024)
#define META_MAX_REQUEST         (1024 * 1024)
#define MAX_JSON_DEPTH           64
#define MAX_CALLBACKS_IN_FLIGHT  16
#define MAX_PENDING              50000
#define MAX_RETAINED             50000
#define MAX_OPTED_OUT            100000
#define MAX_CALLBACK_ANSWER      (1024 * 1024)
#define MAX_STEPS_PER_DISPATCH   256
#define TWILIO_MAX_BODY_CHARS    1600
#define TWILIO_MAX_MEDIA         10
#define META_MAX_TEXT_CHARS      4096
#define META_MAX_CAPTION_CHARS   1024
#define LIST_DEFAULT_PAGE_SIZE   50
#define LIST_MAX_PAGE_SIZE       1000
/* The number a Messaging Service "picks" from its pool, and the
 * WhatsApp number Meta's webhooks name: Twilio's test number. */
#define POOL_NUMBER              "+15005550006"
#define META_DISPLAY_NUMBER      "15005550006"
#define SMS_SEGMENT_PRICE        0.0079
#define WHATSAPP_PRICE           0.005
#define DEFAULT_SECRET           "simulator"

/* ------------------------------------------------------------------------
 * Messages
 */

typedef enum
{
  KIND_TWILIO,
  KIND_WHATSAPP,
} Kind;

typedef enum
{
  OUTCOME_DELIVERED,
  OUTCOME_UNDELIVERED,
  OUTCOME_FAILED,
} Outcome;

typedef enum
{
  STATE_ACCEPTED,
  STATE_QUEUED,
  STATE_SENT,
  STATE_DELIVERED,
  STATE_READ,
  STATE_UNDELIVERED,
  STATE_FAILED,
  STATE_RECEIVED,     /* a reply kept for listing (keep_replies) */
} State;

static const char * const state_names[] = {
  "accepted", "queued", "sent", "delivered", "read", "undelivered", "failed", "received",
};

typedef enum
{
  STEP_SENT,
  STEP_FINAL,
  STEP_READ,
  STEP_REPLY,
  N_STEPS,
  STEP_NONE = N_STEPS,
} Step;

/* Something several messages point to: an account's SID and token, a
 * callback URL, a phone-number id. */
typedef struct
{
  guint  refs;
  char  *key;
  char  *first;    /* account SID, URL or phone-number id */
  char  *second;   /* auth token, or NULL */
} Shared;

typedef struct
{
  guint        refs;
  Kind         kind : 2;
  Outcome      outcome : 2;
  State        state : 4;
  Step         step : 4;
  guint        whatsapp : 1;   /* Twilio: a whatsapp: address */
  guint        will_read : 1;
  guint        will_reply : 1;
  guint        is_template : 1;
  guint        retained : 1;
  guint        inbound : 1;    /* Twilio: a reply kept for listing */
  guint8       reply_index;
  guint16      num_media;
  guint16      num_segments;
  const char  *error_code;     /* static */
  gint64       due;            /* monotonic µs of the next step */
  gint64       created;        /* unix seconds */
  gint64       sent;
  gint64       updated;
  Shared      *account;        /* Twilio: SID + token; WhatsApp: phone-number id */
  Shared      *callback;       /* Twilio StatusCallback, or NULL */
  char        *id;
  char        *to;             /* Twilio: as given ("+…", "whatsapp:+…"); WhatsApp: digits */
  char        *from;           /* Twilio From, or NULL */
  char        *service;        /* Twilio MessagingServiceSid, or NULL */
  char        *body;           /* Twilio only */
  GList        step_link;
  GList        retained_link;
} Message;

struct _TcSimulator
{
  GObject       parent_instance;

  guint32       seed;
  double        max_rate;
  double        delivered_ratio;
  double        failed_ratio;
  double        read_ratio;
  double        reply_ratio;
  guint         status_delay_ms;
  char         *twilio_auth_token;
  char         *whatsapp_app_secret;
  char         *whatsapp_webhook_url;
  char         *twilio_inbound_url;
  gboolean      keep_replies;
  char         *log_path;
  TcSimTemplates *templates;   /* WhatsApp message templates */

  SoupServer   *server;
  /* Our own listener (tc-soup.h: libsoup 3.2's keeps every socket). */
  TcSoupListener *listener;
  SoupSession  *session;
  GCancellable *cancellable;
  GMainContext *context;
  GSource      *timer;
  char         *base_url;
  guint         port;
  FILE         *log;

  GRand        *rand;
  guint64       nonce;
  guint64       next_id;
  guint64       n_accepted;
  guint64       n_replies;

  double        tokens;
  gint64        tokens_at;

  GHashTable   *shared;         /* key → Shared */
  GHashTable   *by_sid;         /* Twilio SID → Message (retained) */
  GQueue        retained;       /* Twilio messages, oldest first */
  GQueue        steps[N_STEPS];
  guint         n_pending;
  guint         in_flight;
  GHashTable   *opted_out;      /* "account\nsender\nrecipient" */
};

G_DEFINE_FINAL_TYPE (TcSimulator, tc_simulator, G_TYPE_OBJECT)

static const char * const sms_undelivered_codes[] = { "30003", "30005", "30006", "30007" };
static const char * const sms_failed_codes[] = { "30008", "30004" };
static const char * const twilio_wa_undelivered_codes[] = { "63024", "63049", "30003", "63003" };
static const char * const twilio_wa_failed_codes[] = { "63003", "63024" };
static const char * const meta_failed_codes[] = { "131000", "131026" };

typedef struct
{
  const char *code;
  const char *title;
} MetaError;

static const MetaError meta_errors[] = {
  { "131000", "Something went wrong" },
  { "131026", "Message undeliverable" },
  { "131047", "Re-engagement message" },
  { "131049", "This message was not delivered to maintain healthy ecosystem engagement." },
};

/* Replies people send back; the repeated ones are the likelier. */
static const char * const reply_texts[] = {
  "STOP", "STOP", "HELP", "YES", "YES", "Yes please!",
  "Do you have this in blue?", "What time do you open tomorrow?", "Thanks!", "stop",
};

static void
shared_release (TcSimulator *self,
                Shared      *shared)
{
  if (shared == NULL || --shared->refs > 0)
    return;

  g_hash_table_remove (self->shared, shared->key);
  if (shared->second != NULL)
    memset (shared->second, 0, strlen (shared->second));
  g_free (shared->key);
  g_free (shared->first);
  g_free (shared->second);
  g_free (shared);
}

static Shared *
shared_get (TcSimulator *self,
            const char  *kind,
            const char  *first,
            const char  *second)
{
  g_autofree char *key = g_strconcat (kind, "\n", first, "\n", second != NULL ? second : "", NULL);
  Shared *shared = g_hash_table_lookup (self->shared, key);

  if (shared == NULL)
    {
      shared = g_new0 (Shared, 1);
      shared->key = g_steal_pointer (&key);
      shared->first = g_strdup (first);
      shared->second = g_strdup (second);
      g_hash_table_insert (self->shared, shared->key, shared);
    }
  else if (key != NULL)
    memset (key, 0, strlen (key));
  shared->refs++;

  return shared;
}

static Message *
message_ref (Message *m)
{
  m->refs++;
  return m;
}

static void
message_unref (TcSimulator *self,
               Message     *m)
{
  if (--m->refs > 0)
    return;

  shared_release (self, m->account);
  shared_release (self, m->callback);
  g_free (m->id);
  g_free (m->to);
  g_free (m->from);
  g_free (m->service);
  g_free (m->body);
  g_free (m);
}

/* ------------------------------------------------------------------------
 * Small writers
 */

static void
append_json_string (GString    *out,
                    const char *text)
{
  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_member (GString    *out,
               const char *name,
               const char *value)
{
  if (out->len > 0 && out->str[out->len - 1] != '{')
    g_string_append_c (out, ',');
  append_json_string (out, name);
  g_string_append_c (out, ':');
  append_json_string (out, value);
}

static void
append_member_raw (GString    *out,
                   const char *name,
                   const char *raw)
{
  if (out->len > 0 && out->str[out->len - 1] != '{')
    g_string_append_c (out, ',');
  append_json_string (out, name);
  g_string_append_c (out, ':');
  g_string_append (out, raw);
}

static const char * const day_names[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char * const month_names[] = {
  "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/* "Tue, 24 Nov 2026 05:01:07 +0000", as Twilio writes dates. */
static char *
rfc2822 (gint64 seconds)
{
  time_t t = (time_t) seconds;
  struct tm tm;

  gmtime_r (&t, &tm);
  return g_strdup_printf ("%s, %02d %s %04d %02d:%02d:%02d +0000",
                          day_names[tm.tm_wday], tm.tm_mday, month_names[tm.tm_mon],
                          tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* "2026-11-24T05:01:07.123Z" for the log. */
static void
format_iso8601 (gint64  usec,
                char   *buffer,
                gsize   size)
{
  time_t t = (time_t) (usec / G_USEC_PER_SEC);
  struct tm tm;

  gmtime_r (&t, &tm);
  g_snprintf (buffer, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
              tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
              (int) ((usec % G_USEC_PER_SEC) / 1000));
}

/* 32 lower-case hex digits, different for every call and every run. */
static char *
next_hex_id (TcSimulator *self,
             char         tag)
{
  char input[64];

  g_snprintf (input, sizeof input, "%c:%016" G_GINT64_MODIFIER "x:%" G_GUINT64_FORMAT,
              tag, self->nonce, self->next_id++);
  return g_compute_checksum_for_string (G_CHECKSUM_MD5, input, -1);
}

static char *
new_wamid (TcSimulator *self,
           const char  *digits)
{
  g_autofree char *hex = next_hex_id (self, 'W');
  g_autofree char *raw = g_strdup_printf ("%s%s", digits, hex);
  g_autofree char *encoded = g_base64_encode ((const guchar *) raw, strlen (raw));
  char *end = encoded + strlen (encoded);

  while (end > encoded && end[-1] == '=')
    *--end = '\0';

  return g_strconcat ("wamid.HBgL", encoded, NULL);
}

/* ------------------------------------------------------------------------
 * Checks
 */

static gboolean
all_digits (const char *text,
            gsize       min,
            gsize       max)
{
  gsize len = strlen (text);

  if (len < min || len > max)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;

  return TRUE;
}

static gboolean
is_e164 (const char *text)
{
  return text[0] == '+' && text[1] >= '1' && text[1] <= '9' && all_digits (text + 1, 7, 15);
}

/* An E.164 number, a short code or an alphanumeric sender ID. */
static gboolean
is_sms_sender (const char *text)
{
  gsize len = strlen (text);
  gboolean letter = FALSE;

  if (is_e164 (text) || all_digits (text, 3, 8))
    return TRUE;
  if (len == 0 || len > 11)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isalpha (*p))
        letter = TRUE;
      else if (!g_ascii_isdigit (*p) && *p != ' ')
        return FALSE;
    }

  return letter;
}

static gboolean
is_sid_with_prefix (const char *text,
                    const char *prefix)
{
  return g_str_has_prefix (text, prefix) && strlen (text) == 34 &&
         strspn (text + 2, "0123456789abcdefABCDEF") == 32;
}

static gboolean
is_web_url (const char *text)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (text == NULL || text[0] == '\0')
    return FALSE;
  uri = g_uri_parse (text, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    return FALSE;
  scheme = g_uri_get_scheme (uri);

  return (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0) &&
         g_uri_get_host (uri) != NULL && g_uri_get_host (uri)[0] != '\0';
}

/* json-glib's parser recurses: refuse deep nesting before it sees it. */
static gboolean
json_depth_ok (const char *data,
               gsize       length)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_JSON_DEPTH)
            return FALSE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  return TRUE;
}

/* ------------------------------------------------------------------------
 * Answers
 */

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              GString           *json)
{
  gsize len = json->len;

  /* One request per connection (tc_soup_listener_new()), said so that
   * clients do not try to reuse it. It costs the providers nothing: they
   * send each create request on a new connection anyway. It also keeps
   * clear of libsoup 3.2's SoupServer never closing a kept-alive
   * connection that the client closes while idle (fixed in 3.3.0, commit
   * d20c6601). */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE,
                                    g_string_free (json, FALSE), len);
}

static void
twilio_error (SoupServerMessage *msg,
              guint              status,
              guint              code,
              const char        *message)
{
  GString *json = g_string_new ("{");
  char number[32];

  g_snprintf (number, sizeof number, "%u", code);
  append_member_raw (json, "code", number);
  append_member (json, "message", message);
  g_string_append_printf (json, ",\"more_info\":\"https://www.twilio.com/docs/errors/%u\"", code);
  g_snprintf (number, sizeof number, "%u", status);
  append_member_raw (json, "status", number);
  g_string_append_c (json, '}');
  respond_json (msg, status, json);
}

static void
meta_error (TcSimulator       *self,
            SoupServerMessage *msg,
            guint              status,
            guint              code,
            const char        *type,
            const char        *message,
            const char        *details)
{
  GString *json = g_string_new ("{\"error\":{");
  g_autofree char *trace = next_hex_id (self, 'F');
  char number[32];

  append_member (json, "message", message);
  append_member (json, "type", type);
  g_snprintf (number, sizeof number, "%u", code);
  append_member_raw (json, "code", number);
  if (details != NULL)
    {
      g_string_append (json, ",\"error_data\":{\"messaging_product\":\"whatsapp\"");
      append_member (json, "details", details);
      g_string_append_c (json, '}');
    }
  trace[22] = '\0';
  trace[0] = 'A';
  append_member (json, "fbtrace_id", trace);
  g_string_append (json, "}}");
  respond_json (msg, status, json);
}

/* ------------------------------------------------------------------------
 * Rate
 */

/* TRUE when a message may be accepted now; else *@retry_after seconds. */
static gboolean
take_token (TcSimulator *self,
            guint       *retry_after)
{
  gint64 now;
  double capacity;

  if (self->n_pending >= MAX_PENDING)
    {
      *retry_after = 1;
      return FALSE;
    }
  if (self->max_rate <= 0)
    return TRUE;

  now = g_get_monotonic_time ();
  capacity = MAX (1.0, self->max_rate);
  self->tokens = MIN (capacity, self->tokens + (now - self->tokens_at) * self->max_rate / G_USEC_PER_SEC);
  self->tokens_at = now;
  if (self->tokens >= 1.0)
    {
      self->tokens -= 1.0;
      return TRUE;
    }

  *retry_after = (guint) MAX (1.0, ((1.0 - self->tokens) / self->max_rate) + 0.999);
  return FALSE;
}

static void
set_retry_after (SoupServerMessage *msg,
                 guint              seconds)
{
  char value[16];

  g_snprintf (value, sizeof value, "%u", seconds);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", value);
}

/* ------------------------------------------------------------------------
 * The log
 */

/* Writes and flushes the line for an accepted message; FALSE if it could
 * not be written (the message is then refused). */
static gboolean
log_accepted (TcSimulator *self,
              const char  *provider,
              const char  *id,
              const char  *to,
              const char  *body)
{
  g_autoptr(GString) line = NULL;
  char at[40];

  if (self->log == NULL)
    return TRUE;

  format_iso8601 (g_get_real_time (), at, sizeof at);
  line = g_string_sized_new (128);
  g_string_append_c (line, '{');
  append_member (line, "provider", provider);
  append_member (line, "id", id);
  append_member (line, "to", to);
  append_member (line, "body", body != NULL ? body : "");
  append_member (line, "at", at);
  g_string_append (line, "}\n");

  if (fwrite (line->str, 1, line->len, self->log) != line->len || fflush (self->log) != 0)
    {
      g_warning ("Cannot write the simulator log %s: %s", self->log_path, g_strerror (errno));
      clearerr (self->log);
      return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------------
 * The steps after acceptance
 */

static void send_step (TcSimulator *self, Message *m, Step step);

static guint
step_delay_ms (TcSimulator *self,
               Step         step)
{
  /* People take longer to answer than networks. */
  return step == STEP_REPLY ? self->status_delay_ms * 2 : self->status_delay_ms;
}

static gboolean
step_needs_post (TcSimulator *self,
                 Message     *m,
                 Step         step)
{
  if (step == STEP_REPLY)
    return m->kind == KIND_TWILIO ? self->twilio_inbound_url != NULL
                                  : self->whatsapp_webhook_url != NULL;
  if (m->kind == KIND_TWILIO)
    return m->callback != NULL;

  return self->whatsapp_webhook_url != NULL;
}

static void
reschedule (TcSimulator *self)
{
  gint64 earliest = -1;

  if (self->timer == NULL)
    return;

  if (self->in_flight < MAX_CALLBACKS_IN_FLIGHT)
    for (guint i = 0; i < N_STEPS; i++)
      {
        Message *head = g_queue_peek_head (&self->steps[i]);

        if (head != NULL && (earliest < 0 || head->due < earliest))
          earliest = head->due;
      }

  g_source_set_ready_time (self->timer, earliest);
}

static void
enqueue (TcSimulator *self,
         Message     *m,
         Step         step)
{
  m->step = step;
  m->due = g_get_monotonic_time () + (gint64) step_delay_ms (self, step) * 1000;
  m->step_link.data = m;
  g_queue_push_tail_link (&self->steps[step], &m->step_link);
  reschedule (self);
}

static Step
next_step (Message *m,
           Step     done)
{
  switch (done)
    {
    case STEP_SENT:
      return STEP_FINAL;
    case STEP_FINAL:
      if (m->outcome != OUTCOME_DELIVERED)
        return STEP_NONE;
      if (m->will_read)
        return STEP_READ;
      return m->will_reply ? STEP_REPLY : STEP_NONE;
    case STEP_READ:
      return m->will_reply ? STEP_REPLY : STEP_NONE;
    case STEP_REPLY:
    case N_STEPS:
    default:
      return STEP_NONE;
    }
}

/* @m finished @done: on to its next step, or out of the pipeline (its
 * reference is dropped). */
static void
advance (TcSimulator *self,
         Message     *m,
         Step         done)
{
  Step next = self->timer != NULL ? next_step (m, done) : STEP_NONE;

  if (next == STEP_NONE)
    {
      self->n_pending--;
      message_unref (self, m);
      return;
    }

  enqueue (self, m, next);
}

static gboolean
on_timer_cb (gpointer user_data)
{
  TcSimulator *self = user_data;
  gint64 now = g_get_monotonic_time ();

  for (guint done = 0; done < MAX_STEPS_PER_DISPATCH; done++)
    {
      Message *m = NULL;
      Step step = STEP_NONE;

      for (guint i = 0; i < N_STEPS; i++)
        {
          Message *head = g_queue_peek_head (&self->steps[i]);

          if (head != NULL && head->due <= now && (m == NULL || head->due < m->due))
            {
              m = head;
              step = i;
            }
        }
      if (m == NULL)
        break;
      if (step_needs_post (self, m, step) && self->in_flight >= MAX_CALLBACKS_IN_FLIGHT)
        break;

      g_queue_unlink (&self->steps[step], &m->step_link);
      send_step (self, m, step);
    }

  reschedule (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
timer_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs timer_funcs = { NULL, NULL, timer_dispatch, NULL, NULL, NULL };

/* --- callbacks --- */

typedef struct
{
  TcSimulator  *self;
  Message      *message;
  Step          step;
  SoupMessage  *request;
  GInputStream *stream;
  gsize         skipped;
} Post;

static void
post_finish (Post *post)
{
  TcSimulator *self = post->self;

  self->in_flight--;
  if (post->stream != NULL)
    g_input_stream_close (post->stream, NULL, NULL);
  g_clear_object (&post->stream);
  g_clear_object (&post->request);
  advance (self, post->message, post->step);
  reschedule (self);
  g_object_unref (self);
  g_free (post);
}

static void
post_skip_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Post *post = user_data;
  gssize skipped = g_input_stream_skip_finish (G_INPUT_STREAM (object), result, NULL);

  /* The answer is read (and dropped) so that the connection can carry the
   * next callback; a receiver that answers too much loses it. */
  if (skipped > 0 && post->skipped + skipped <= MAX_CALLBACK_ANSWER)
    {
      post->skipped += skipped;
      g_input_stream_skip_async (post->stream, 64 * 1024, G_PRIORITY_DEFAULT,
                                 post->self->cancellable, post_skip_cb, post);
      return;
    }

  post_finish (post);
}

static void
post_sent_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Post *post = user_data;
  g_autoptr(GError) error = NULL;

  post->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (post->stream == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("A callback for %s could not be posted: %s", post->message->id, error->message);
      post_finish (post);
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (post->request)))
    g_debug ("The callback for %s was answered HTTP %u", post->message->id,
             soup_message_get_status (post->request));

  g_input_stream_skip_async (post->stream, 64 * 1024, G_PRIORITY_DEFAULT, post->self->cancellable,
                             post_skip_cb, post);
}

/* Posts @body to @url for @m's @step; the step completes when the
 * receiver has answered (or could not be reached). */
static void
post (TcSimulator *self,
      Message     *m,
      Step         step,
      const char  *url,
      const char  *content_type,
      char        *body,
      const char  *signature_header,
      const char  *signature)
{
  g_autoptr(GBytes) bytes = g_bytes_new_take (body, strlen (body));
  SoupMessage *request = soup_message_new (SOUP_METHOD_POST, url);
  Post *p;

  if (request == NULL)
    {
      g_debug ("The callback URL “%s” is not valid", url);
      advance (self, m, step);
      return;
    }

  /* Callbacks may share keep-alive connections (a callback sent twice
   * is what real providers do too, and receivers are idempotent). */
  soup_message_add_flags (request, SOUP_MESSAGE_IDEMPOTENT | SOUP_MESSAGE_NO_REDIRECT);
  soup_message_disable_feature (request, SOUP_TYPE_AUTH_MANAGER);
  soup_message_headers_replace (soup_message_get_request_headers (request), signature_header, signature);
  soup_message_set_request_body_from_bytes (request, content_type, bytes);

  p = g_new0 (Post, 1);
  p->self = g_object_ref (self);
  p->message = m;
  p->step = step;
  p->request = request;
  self->in_flight++;
  soup_session_send_async (self->session, request, G_PRIORITY_DEFAULT, self->cancellable,
                           post_sent_cb, p);
}

/* @params owns its values, not its names. */
static void
put (GHashTable *params,
     const char *name,
     char       *value)
{
  g_hash_table_insert (params, (gpointer) name, value);
}

static const char *
twilio_token (TcSimulator *self,
              Message     *m)
{
  if (self->twilio_auth_token != NULL)
    return self->twilio_auth_token;

  return m->account->second;
}

static char *
add_prefix (Message    *m,
            const char *number)
{
  return m->whatsapp && !g_str_has_prefix (number, "whatsapp:")
         ? g_strconcat ("whatsapp:", number, NULL) : g_strdup (number);
}

/* The sender's number as the recipient sees it. */
static const char *
twilio_sender_number (Message *m)
{
  return m->from != NULL ? m->from : POOL_NUMBER;
}

static void
post_twilio_form (TcSimulator *self,
                  Message     *m,
                  Step         step,
                  const char  *url,
                  GHashTable  *params)
{
  g_autofree char *signature = tc_twilio_signature (twilio_token (self, m), url, params);

  post (self, m, step, url, SOUP_FORM_MIME_TYPE_URLENCODED, soup_form_encode_hash (params),
        "X-Twilio-Signature", signature);
}

static void
twilio_status_post (TcSimulator *self,
                    Message     *m,
                    Step         step)
{
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  const char *status = state_names[m->state];

  put (params, "AccountSid", g_strdup (m->account->first));
  put (params, "ApiVersion", g_strdup (TWILIO_API_VERSION));
  put (params, "From", add_prefix (m, twilio_sender_number (m)));
  put (params, "To", g_strdup (m->to));
  put (params, "MessageSid", g_strdup (m->id));
  put (params, "SmsSid", g_strdup (m->id));
  put (params, "MessageStatus", g_strdup (status));
  put (params, "SmsStatus", g_strdup (status));
  if (m->service != NULL)
    put (params, "MessagingServiceSid", g_strdup (m->service));
  if ((m->state == STATE_UNDELIVERED || m->state == STATE_FAILED) && m->error_code != NULL)
    put (params, "ErrorCode", g_strdup (m->error_code));

  post_twilio_form (self, m, step, m->callback->first, params);
}

/* Twilio's own opt-out handling: STOP blocks this sender for this
 * recipient from now on. */
static void
note_reply_opt_out (TcSimulator *self,
                    Message     *m,
                    const char  *text)
{
  if (g_ascii_strcasecmp (text, "STOP") == 0 && g_hash_table_size (self->opted_out) < MAX_OPTED_OUT)
    g_hash_table_add (self->opted_out,
                      g_strconcat (m->account->first, "\n",
                                   m->service != NULL ? m->service : m->from, "\n", m->to, NULL));
}

static void retain (TcSimulator *self,
                    Message     *m);

/* No inbound URL (keep_replies): the reply is kept as an inbound message
 * resource, listed by GET …/Messages.json as Twilio lists messages that
 * came in to a number with no webhook. */
static void
twilio_reply_keep (TcSimulator *self,
                   Message     *m)
{
  g_autofree char *hex = next_hex_id (self, 'R');
  const char *text = reply_texts[m->reply_index];
  Message *reply = g_new0 (Message, 1);

  reply->refs = 1;
  reply->kind = KIND_TWILIO;
  reply->inbound = TRUE;
  reply->whatsapp = m->whatsapp;
  reply->state = STATE_RECEIVED;
  reply->created = reply->sent = reply->updated = g_get_real_time () / G_USEC_PER_SEC;
  reply->account = shared_get (self, "A", m->account->first, m->account->second);
  reply->id = g_strconcat ("SM", hex, NULL);
  reply->to = add_prefix (m, twilio_sender_number (m));
  reply->from = g_strdup (m->to);
  reply->service = g_strdup (m->service);
  reply->body = g_strdup (text);
  reply->num_segments = 1;

  note_reply_opt_out (self, m, text);
  self->n_replies++;
  retain (self, reply);
  message_unref (self, reply);
}

static void
twilio_reply_post (TcSimulator *self,
                   Message     *m)
{
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autofree char *hex = next_hex_id (self, 'R');
  g_autofree char *sid = g_strconcat ("SM", hex, NULL);
  const char *text = reply_texts[m->reply_index];

  put (params, "AccountSid", g_strdup (m->account->first));
  put (params, "ApiVersion", g_strdup (TWILIO_API_VERSION));
  put (params, "MessageSid", g_strdup (sid));
  put (params, "SmsMessageSid", g_strdup (sid));
  put (params, "SmsSid", g_strdup (sid));
  put (params, "SmsStatus", g_strdup ("received"));
  put (params, "From", g_strdup (m->to));
  put (params, "To", add_prefix (m, twilio_sender_number (m)));
  put (params, "Body", g_strdup (text));
  put (params, "NumMedia", g_strdup ("0"));
  put (params, "NumSegments", g_strdup ("1"));
  if (m->service != NULL)
    put (params, "MessagingServiceSid", g_strdup (m->service));
  if (m->whatsapp)
    {
      put (params, "WaId", g_strdup (m->to + strlen ("whatsapp:+")));
      put (params, "ProfileName", g_strdup ("Simulated contact"));
    }

  note_reply_opt_out (self, m, text);
  self->n_replies++;

  post_twilio_form (self, m, STEP_REPLY, self->twilio_inbound_url, params);
}

static GString *
meta_envelope (Message *m)
{
  GString *json = g_string_sized_new (512);

  g_string_append (json, "{\"object\":\"whatsapp_business_account\",\"entry\":[{");
  append_member (json, "id", m->account->first);
  g_string_append (json, ",\"changes\":[{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\","
                         "\"metadata\":{\"display_phone_number\":\"" META_DISPLAY_NUMBER "\"");
  append_member (json, "phone_number_id", m->account->first);
  g_string_append_c (json, '}');

  return json;
}

static void
meta_post (TcSimulator *self,
           Message     *m,
           Step         step,
           GString     *json)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (json->str, json->len);
  g_autofree char *signature = tc_whatsapp_signature (self->whatsapp_app_secret, bytes);

  post (self, m, step, self->whatsapp_webhook_url, "application/json",
        g_string_free (json, FALSE), "X-Hub-Signature-256", signature);
}

static void
meta_status_post (TcSimulator *self,
                  Message     *m,
                  Step         step)
{
  GString *json = meta_envelope (m);
  const char *status = m->state == STATE_UNDELIVERED ? "failed" : state_names[m->state];
  char timestamp[32];

  g_snprintf (timestamp, sizeof timestamp, "%" G_GINT64_FORMAT, m->updated);
  g_string_append (json, ",\"statuses\":[{");
  append_member (json, "id", m->id);
  append_member (json, "status", status);
  append_member (json, "timestamp", timestamp);
  append_member (json, "recipient_id", m->to);
  if (m->state == STATE_SENT || m->state == STATE_DELIVERED)
    {
      /* Per-message pricing: templates are billed (as marketing here),
       * replies inside the service window are free. */
      if (m->is_template)
        g_string_append (json, ",\"pricing\":{\"billable\":true,\"pricing_model\":\"PMP\",\"category\":\"marketing\"}");
      else
        g_string_append (json, ",\"pricing\":{\"billable\":false,\"pricing_model\":\"PMP\",\"category\":\"service\"}");
    }
  if (m->state == STATE_FAILED || m->state == STATE_UNDELIVERED)
    {
      const MetaError *error = &meta_errors[0];

      for (guint i = 0; i < G_N_ELEMENTS (meta_errors); i++)
        if (g_strcmp0 (meta_errors[i].code, m->error_code) == 0)
          error = &meta_errors[i];
      g_string_append_printf (json, ",\"errors\":[{\"code\":%s", error->code);
      append_member (json, "title", error->title);
      append_member (json, "message", error->title);
      g_string_append (json, ",\"error_data\":{");
      append_member (json, "details", error->title);
      g_string_append (json, "}}]");
    }
  g_string_append (json, "}]}}]}]}");

  meta_post (self, m, step, json);
}

static void
meta_reply_post (TcSimulator *self,
                 Message     *m)
{
  GString *json = meta_envelope (m);
  g_autofree char *id = new_wamid (self, m->to);
  char timestamp[32];

  g_snprintf (timestamp, sizeof timestamp, "%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
  g_string_append (json, ",\"contacts\":[{\"profile\":{\"name\":\"Simulated contact\"}");
  append_member (json, "wa_id", m->to);
  g_string_append (json, "}],\"messages\":[{");
  append_member (json, "from", m->to);
  append_member (json, "id", id);
  append_member (json, "timestamp", timestamp);
  append_member (json, "type", "text");
  g_string_append (json, ",\"text\":{");
  append_member (json, "body", reply_texts[m->reply_index]);
  g_string_append (json, "}}]}}]}]}");

  self->n_replies++;
  meta_post (self, m, STEP_REPLY, json);
}

static void
send_step (TcSimulator *self,
           Message     *m,
           Step         step)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  switch (step)
    {
    case STEP_SENT:
      m->state = STATE_SENT;
      m->sent = now;
      break;
    case STEP_FINAL:
      m->state = m->outcome == OUTCOME_DELIVERED ? STATE_DELIVERED
                 : m->outcome == OUTCOME_UNDELIVERED ? STATE_UNDELIVERED : STATE_FAILED;
      break;
    case STEP_READ:
      m->state = STATE_READ;
      break;
    case STEP_REPLY:
    case N_STEPS:
    default:
      break;
    }
  if (step != STEP_REPLY)
    m->updated = now;

  if (!step_needs_post (self, m, step))
    {
      if (step == STEP_REPLY && m->kind == KIND_TWILIO)
        twilio_reply_keep (self, m);
      advance (self, m, step);
    }
  else if (step == STEP_REPLY)
    {
      if (m->kind == KIND_TWILIO)
        twilio_reply_post (self, m);
      else
        meta_reply_post (self, m);
    }
  else if (m->kind == KIND_TWILIO)
    twilio_status_post (self, m, step);
  else
    meta_status_post (self, m, step);
}

/* Draws @m's fate (always the same five numbers, in request order) and
 * starts its walk. */
static void
accept_message (TcSimulator *self,
                Message     *m)
{
  double outcome = g_rand_double (self->rand);
  guint code_index = (guint) g_rand_int_range (self->rand, 0, 1 << 16);
  double read = g_rand_double (self->rand);
  double reply = g_rand_double (self->rand);
  guint reply_index = (guint) g_rand_int_range (self->rand, 0, G_N_ELEMENTS (reply_texts));
  gboolean can_read = m->kind == KIND_WHATSAPP || m->whatsapp;
  const char *inbound_url = m->kind == KIND_TWILIO ? self->twilio_inbound_url : self->whatsapp_webhook_url;

  if (outcome < self->delivered_ratio)
    m->outcome = OUTCOME_DELIVERED;
  else if (outcome < self->delivered_ratio + self->failed_ratio)
    m->outcome = OUTCOME_FAILED;
  else
    m->outcome = OUTCOME_UNDELIVERED;

  if (m->kind == KIND_TWILIO)
    {
      if (m->outcome == OUTCOME_UNDELIVERED)
        m->error_code = m->whatsapp ? twilio_wa_undelivered_codes[code_index % G_N_ELEMENTS (twilio_wa_undelivered_codes)]
                                    : sms_undelivered_codes[code_index % G_N_ELEMENTS (sms_undelivered_codes)];
      else if (m->outcome == OUTCOME_FAILED)
        m->error_code = m->whatsapp ? twilio_wa_failed_codes[code_index % G_N_ELEMENTS (twilio_wa_failed_codes)]
                                    : sms_failed_codes[code_index % G_N_ELEMENTS (sms_failed_codes)];
    }
  else if (m->outcome == OUTCOME_FAILED)
    m->error_code = meta_failed_codes[code_index % G_N_ELEMENTS (meta_failed_codes)];
  else if (m->outcome == OUTCOME_UNDELIVERED)
    {
      /* Sent, then not delivered: undeliverable, or what only happens to
       * a template (marketing limits) or only to free text (the window). */
      switch (code_index % 3)
        {
        case 0: m->error_code = "131026"; break;
        case 1: m->error_code = m->is_template ? "131049" : "131047"; break;
        default: m->error_code = "131026"; break;
        }
    }

  m->will_read = m->outcome == OUTCOME_DELIVERED && can_read && read < self->read_ratio;
  m->will_reply = m->outcome == OUTCOME_DELIVERED && reply < self->reply_ratio &&
                  (inbound_url != NULL || (m->kind == KIND_TWILIO && self->keep_replies));
  m->reply_index = (guint8) reply_index;

  self->n_accepted++;
  self->n_pending++;
  enqueue (self, m, m->outcome == OUTCOME_FAILED ? STEP_FINAL : STEP_SENT);
}

/* ------------------------------------------------------------------------
 * Twilio
 */

static void
retain (TcSimulator *self,
        Message     *m)
{
  m->retained = TRUE;
  m->retained_link.data = message_ref (m);
  g_queue_push_tail_link (&self->retained, &m->retained_link);
  g_hash_table_insert (self->by_sid, m->id, m);

  while (self->retained.length > MAX_RETAINED)
    {
      GList *link = g_queue_pop_head_link (&self->retained);
      Message *old = link->data;

      g_hash_table_remove (self->by_sid, old->id);
      old->retained = FALSE;
      message_unref (self, old);
    }
}

static void
append_twilio_resource (GString *json,
                        Message *m)
{
  g_autofree char *created = rfc2822 (m->created);
  g_autofree char *updated = rfc2822 (m->updated);
  g_autofree char *sent = m->sent != 0 ? rfc2822 (m->sent) : NULL;
  g_autofree char *from = NULL;
  char number[64];
  gboolean priced = m->state != STATE_ACCEPTED && m->state != STATE_QUEUED && m->state != STATE_FAILED;

  if (m->from != NULL)
    from = add_prefix (m, m->from);
  else if (m->state != STATE_ACCEPTED && m->state != STATE_QUEUED)
    from = add_prefix (m, POOL_NUMBER);

  g_string_append_c (json, '{');
  append_member (json, "account_sid", m->account->first);
  append_member (json, "api_version", TWILIO_API_VERSION);
  append_member (json, "body", m->body);
  append_member (json, "date_created", created);
  append_member (json, "date_sent", sent);
  append_member (json, "date_updated", updated);
  append_member (json, "direction", m->inbound ? "inbound" : "outbound-api");
  if ((m->state == STATE_UNDELIVERED || m->state == STATE_FAILED) && m->error_code != NULL)
    {
      append_member_raw (json, "error_code", m->error_code);
      append_member (json, "error_message", NULL);
    }
  else
    {
      append_member_raw (json, "error_code", "null");
      append_member_raw (json, "error_message", "null");
    }
  append_member (json, "from", from);
  append_member (json, "messaging_service_sid", m->service);
  g_snprintf (number, sizeof number, "%u", m->num_media);
  append_member (json, "num_media", number);
  g_snprintf (number, sizeof number, "%u", m->num_segments);
  append_member (json, "num_segments", number);
  if (priced)
    {
      double price = m->whatsapp ? WHATSAPP_PRICE : SMS_SEGMENT_PRICE * m->num_segments;

      g_snprintf (number, sizeof number, "-%.5f", price);
      append_member (json, "price", number);
    }
  else
    append_member (json, "price", NULL);
  append_member (json, "price_unit", "USD");
  append_member (json, "sid", m->id);
  append_member (json, "status", state_names[m->state]);
  g_string_append_printf (json, ",\"subresource_uris\":{\"media\":\"" TWILIO_PREFIX "%s/Messages/%s/Media.json\"}",
                          m->account->first, m->id);
  append_member (json, "to", m->to);
  g_string_append_printf (json, ",\"uri\":\"" TWILIO_PREFIX "%s/Messages/%s.json\"}", m->account->first, m->id);
}

typedef struct
{
  char       *name;
  char       *value;
} FormField;

static void
form_field_free (FormField *field)
{
  g_free (field->name);
  g_free (field->value);
  g_free (field);
}

static char *
form_unescape (const char *text,
               gsize       len)
{
  g_autofree char *copy = g_strndup (text, len);
  char *value;

  for (char *p = copy; *p != '\0'; p++)
    if (*p == '+')
      *p = ' ';
  value = g_uri_unescape_string (copy, NULL);
  if (value != NULL && !g_utf8_validate (value, -1, NULL))
    g_clear_pointer (&value, g_free);

  return value;
}

/* Form-encoded @data as fields in order; FALSE for bad encoding. */
static gboolean
parse_form (const char *data,
            gsize       len,
            GPtrArray  *fields)
{
  const char *end = data + len;
  const char *p = data;

  while (p < end)
    {
      const char *amp = memchr (p, '&', end - p);
      const char *pair_end = amp != NULL ? amp : end;
      const char *eq = memchr (p, '=', pair_end - p);

      if (pair_end > p)
        {
          FormField *field = g_new0 (FormField, 1);

          field->name = form_unescape (p, (eq != NULL ? eq : pair_end) - p);
          field->value = eq != NULL ? form_unescape (eq + 1, pair_end - eq - 1) : g_strdup ("");
          g_ptr_array_add (fields, field);
          if (field->name == NULL || field->value == NULL)
            return FALSE;
        }
      p = pair_end + 1;
    }

  return TRUE;
}

static const char *
form_get (GPtrArray  *fields,
          const char *name)
{
  for (guint i = 0; i < fields->len; i++)
    {
      FormField *field = g_ptr_array_index (fields, i);

      if (strcmp (field->name, name) == 0)
        return field->value[0] != '\0' ? field->value : NULL;
    }

  return NULL;
}

/* Checks Basic auth for @account; answers 401 and returns NULL if it is
 * not well-formed credentials of that account. Returns the token. */
static char *
twilio_auth (SoupServerMessage *msg,
             const char        *account)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  g_autofree guchar *decoded = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;
  char *colon;

  if (header != NULL && g_ascii_strncasecmp (header, "Basic ", 6) == 0)
    {
      decoded = g_base64_decode (header + 6, &len);
      text = g_strndup ((const char *) decoded, len);
      if (decoded != NULL)
        memset (decoded, 0, len);
    }
  colon = text != NULL ? strchr (text, ':') : NULL;
  if (colon == NULL || colon[1] == '\0' || strlen (text) != len ||
      strncmp (text, account, colon - text) != 0 || account[colon - text] != '\0')
    {
      if (text != NULL)
        memset (text, 0, strlen (text));
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Basic realm=\"Twilio API\"");
      twilio_error (msg, SOUP_STATUS_UNAUTHORIZED, 20003, "Authenticate");
      return NULL;
    }

  {
    char *token = g_strdup (colon + 1);

    memset (text, 0, strlen (text));
    return token;
  }
}

static gboolean
is_account_sid (const char *text)
{
  gsize len = strlen (text);

  if (!g_str_has_prefix (text, "AC") || len < 3 || len > 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p))
      return FALSE;

  return TRUE;
}

static void
twilio_create (TcSimulator       *self,
               SoupServerMessage *msg,
               const char        *account,
               const char        *token,
               GBytes            *body)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func ((GDestroyNotify) form_field_free);
  g_autofree char *text = NULL;
  g_autofree char *bare_to = NULL;
  const char *to, *from, *service, *message_body, *content_sid, *content_variables, *callback;
  gboolean whatsapp_to, whatsapp_from;
  guint n_media = 0;
  guint retry_after = 0;
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);
  Message *m;
  GString *json;

  if (data != NULL && !parse_form (data, size, fields))
    {
      twilio_error (msg, SOUP_STATUS_BAD_REQUEST, 21602,
                    "The request's form fields are not valid form encoding of UTF-8 text");
      return;
    }

  to = form_get (fields, "To");
  from = form_get (fields, "From");
  service = form_get (fields, "MessagingServiceSid");
  message_body = form_get (fields, "Body");
  content_sid = form_get (fields, "ContentSid");
  content_variables = form_get (fields, "ContentVariables");
  callback = form_get (fields, "StatusCallback");

  for (guint i = 0; i < fields->len; i++)
    {
      FormField *field = g_ptr_array_index (fields, i);

      if (strcmp (field->name, "MediaUrl") != 0)
        continue;
      if (!is_web_url (field->value))
        {
          text = g_strdup_printf ("The media URL %s is not a valid http or https URL", field->value);
          twilio_error (msg, SOUP_STATUS_BAD_REQUEST, 21620, text);
          return;
        }
      n_media++;
    }

  if (to == NULL)
    {
      twilio_error (msg, SOUP_STATUS_BAD_REQUEST, 21604, "A 'To' phone number is required.");
      return;
    }
  if (from == NULL && service == NULL)
    {
      twilio_error (msg, SOUP_STATUS_BAD_REQUEST, 21603,
                    "A 'From' or 'MessagingServiceSid' parameter is required to send a message");
      return;
    }
  if (message_body == NULL && n_media == 0 && content_sid == NULL)
    {
      twilio_error (msg, SOUP_STATUS_BAD_REQUEST, 21602, "Message body is required.");
      return;
    }

  whatsapp_to = g_str_has_prefix (to, "whatsapp:");
  bare_to = g_strdup (whatsapp_to ? to + strlen ("whatsapp:") : to);
  if (!is_e164 (bare_to))
    {
      text = g_strdup_printf ("Invalid 'To' Phone Number: %s", to);
      twilio_error (msg, SOUP_STATUS_BAD_REQUEST, 21211, text);
      return;
    }
  if (service != NULL && !is_sid_with_prefix (service, "MG"))
    {
      text = g_strdup_printf ("The Messaging Service Sid %s is invalid.", service);
      twilio_error (msg, SOUP_STATUS_BAD_REQUEST, 21705, text);
      return;
    }
  if (from != NULL)
    {
      whatsapp_from = g_str_has_prefix (from, "whatsapp:");
      if (whatsapp_from ? !is_e164 (from + strlen ("whatsapp:")) : !is_sms_sender (from))
        {
          text = g_strdup_printf ("Invalid From Number (caller ID): %s", from);
          twilio_error (msg, SOUP_STATUS_BAD_REQUEST, 21212, text);
          return;
        }
      if (whatsapp_from != whatsapp_to)
        {
          twilio_error (msg, SOUP_STATUS_BAD_REQUEST, 21910,
                        "Invalid From and To pair. From and To should be of the same channel");
          return;
        }
      if (strcmp (from, to) == 0)
        {
          twilio_error (msg, SOUP_STATUS_BAD_REQUEST, 21266, "'To' and 'From' number cannot be the same");
          return;
        }
    }
  if (message_body != NULL && g_utf8_strlen (message_body, -1) > TWILIO_MAX_BODY_CHARS)
    {
      twilio_error (msg, SOUP_STATUS_BAD_REQUEST, 21617,
                    "The concatenated message body exceeds the 1600 character limit");
      return;
    }
  if (n_media > TWILIO_MAX_MEDIA)
    {
      twilio_error (msg, SOUP_STATUS_BAD_REQUEST, 21623, "The number of media files exceeds the limit of 10");
      return;
    }
  if (content_sid != NULL && !is_sid_with_prefix (content_sid, "HX"))
    {
      text = g_strdup_printf ("Invalid Content SID: %s", content_sid);
      twilio_error (msg, SOUP_STATUS_BAD_REQUEST, 21655, text);
      return;
    }
  if (content_variables != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      JsonNode *root;

      if (!json_depth_ok (content_variables, strlen (content_variables)) ||
          !json_parser_load_from_data (parser, content_variables, -1, NULL) ||
          (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        {
          twilio_error (msg, SOUP_STATUS_BAD_REQUEST, 21656, "The ContentVariables parameter is invalid");
          return;
        }
    }
  if (callback != NULL && !is_web_url (callback))
    {
      text = g_strdup_printf ("The StatusCallback URL %s is not a valid URL", callback);
      twilio_error (msg, SOUP_STATUS_BAD_REQUEST, 21609, text);
      return;
    }
  {
    g_autofree char *key = g_strconcat (account, "\n", service != NULL ? service : from, "\n", to, NULL);

    if (g_hash_table_contains (self->opted_out, key))
      {
        twilio_error (msg, SOUP_STATUS_BAD_REQUEST, 21610, "Attempt to send to unsubscribed recipient");
        return;
      }
  }
  if (!take_token (self, &retry_after))
    {
      set_retry_after (msg, retry_after);
      twilio_error (msg, 429, 20429, "Too Many Requests");
      return;
    }

  m = g_new0 (Message, 1);
  m->refs = 1;
  m->kind = KIND_TWILIO;
  m->whatsapp = whatsapp_to;
  m->is_template = content_sid != NULL;
  m->state = service != NULL && from == NULL ? STATE_ACCEPTED : STATE_QUEUED;
  m->created = m->updated = g_get_real_time () / G_USEC_PER_SEC;
  m->account = shared_get (self, "A", account, token);
  m->callback = callback != NULL ? shared_get (self, "U", callback, NULL) : NULL;
  {
    g_autofree char *hex = next_hex_id (self, 'T');

    m->id = g_strconcat ("SM", hex, NULL);
  }
  m->to = g_strdup (to);
  m->from = g_strdup (from);
  m->service = g_strdup (service);
  m->body = g_strdup (message_body != NULL ? message_body : "");
  m->num_media = (guint16) n_media;
  m->num_segments = 1;
  if (!whatsapp_to && message_body != NULL)
    {
      TcSmsCount count;

      if (tc_sms_count (message_body, -1, &count) && count.segments > 0)
        m->num_segments = (guint16) count.segments;
    }

  if (!log_accepted (self, "twilio", m->id, bare_to, m->body))
    {
      message_unref (self, m);
      twilio_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, 20500, "Internal Server Error");
      return;
    }

  json = g_string_sized_new (1024);
  append_twilio_resource (json, m);
  respond_json (msg, SOUP_STATUS_CREATED, json);

  retain (self, m);
  accept_message (self, m);
}

/* The day "YYYY-MM-DD" as unix seconds at its start, or -1. */
static gint64
parse_day (const char *text)
{
  g_autoptr(GDateTime) date = NULL;
  int year, month, day;
  char tail;

  if (text == NULL || sscanf (text, "%4d-%2d-%2d%c", &year, &month, &day, &tail) != 3)
    return -1;
  date = g_date_time_new_utc (year, month, day, 0, 0, 0);

  return date != NULL ? g_date_time_to_unix (date) : -1;
}

static void
twilio_list (TcSimulator       *self,
             SoupServerMessage *msg,
             const char        *account,
             GHashTable        *query)
{
  const char *to = query != NULL ? g_hash_table_lookup (query, "To") : NULL;
  const char *from = query != NULL ? g_hash_table_lookup (query, "From") : NULL;
  const char *on = query != NULL ? g_hash_table_lookup (query, "DateSent") : NULL;
  const char *after = query != NULL ? g_hash_table_lookup (query, "DateSent>") : NULL;
  const char *before = query != NULL ? g_hash_table_lookup (query, "DateSent<") : NULL;
  const char *page_text = query != NULL ? g_hash_table_lookup (query, "Page") : NULL;
  const char *size_text = query != NULL ? g_hash_table_lookup (query, "PageSize") : NULL;
  guint64 page = 0, page_size = LIST_DEFAULT_PAGE_SIZE;
  gint64 from_day = 0, to_day = G_MAXINT64;
  g_autoptr(GString) params = g_string_new (NULL);
  g_autofree char *base = g_strdup_printf (TWILIO_PREFIX "%s/Messages.json", account);
  GString *json;
  guint64 index = 0, start, shown = 0;
  gboolean more = FALSE;

  if ((page_text != NULL && !g_ascii_string_to_unsigned (page_text, 10, 0, G_MAXUINT32, &page, NULL)) ||
      (size_text != NULL && !g_ascii_string_to_unsigned (size_text, 10, 1, LIST_MAX_PAGE_SIZE, &page_size, NULL)))
    {
      twilio_error (msg, SOUP_STATUS_BAD_REQUEST, 20001, "Invalid Page or PageSize");
      return;
    }
  if (on != NULL || after != NULL || before != NULL)
    {
      gint64 day_on = parse_day (on), day_after = parse_day (after), day_before = parse_day (before);

      if ((on != NULL && day_on < 0) || (after != NULL && day_after < 0) || (before != NULL && day_before < 0))
        {
          twilio_error (msg, SOUP_STATUS_BAD_REQUEST, 20001, "DateSent must be a date as YYYY-MM-DD");
          return;
        }
      if (on != NULL)
        {
          from_day = day_on;
          to_day = day_on + 24 * 3600 - 1;
        }
      if (after != NULL)
        from_day = MAX (from_day, day_after);
      if (before != NULL)
        to_day = MIN (to_day, day_before + 24 * 3600 - 1);
    }

  /* The query without Page, for the page links. */
  if (query != NULL)
    {
      static const char * const names[] = { "To", "From", "DateSent", "DateSent>", "DateSent<" };

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          const char *value = g_hash_table_lookup (query, names[i]);
          g_autofree char *name = NULL;
          g_autofree char *escaped = NULL;

          if (value == NULL)
            continue;
          name = g_uri_escape_string (names[i], NULL, FALSE);
          escaped = g_uri_escape_string (value, NULL, FALSE);
          g_string_append_printf (params, "%s=%s&", name, escaped);
        }
    }
  g_string_append_printf (params, "PageSize=%" G_GUINT64_FORMAT, page_size);

  json = g_string_sized_new (4096);
  g_string_append (json, "{\"messages\":[");
  start = page * page_size;
  /* Newest first. */
  for (GList *l = self->retained.tail; l != NULL; l = l->prev)
    {
      Message *m = l->data;
      gint64 when = m->sent != 0 ? m->sent : m->created;

      /* Twilio filters on date_sent; a message not yet sent is matched by
       * its creation, so that a lookup right after a send finds it. */
      if (strcmp (m->account->first, account) != 0 ||
          (to != NULL && strcmp (m->to, to) != 0) ||
          (from != NULL && g_strcmp0 (m->from, from) != 0) ||
          when < from_day || when > to_day)
        continue;
      if (index++ < start)
        continue;
      if (shown == page_size)
        {
          more = TRUE;
          break;
        }
      if (shown++ > 0)
        g_string_append_c (json, ',');
      append_twilio_resource (json, m);
    }
  g_string_append_printf (json, "],\"end\":%" G_GINT64_FORMAT, shown > 0 ? (gint64) (start + shown - 1) : 0);
  g_string_append_printf (json, ",\"first_page_uri\":\"%s?%s&Page=0\"", base, params->str);
  if (more)
    g_string_append_printf (json, ",\"next_page_uri\":\"%s?%s&Page=%" G_GUINT64_FORMAT "\"",
                            base, params->str, page + 1);
  else
    g_string_append (json, ",\"next_page_uri\":null");
  g_string_append_printf (json, ",\"page\":%" G_GUINT64_FORMAT ",\"page_size\":%" G_GUINT64_FORMAT,
                          page, page_size);
  if (page > 0)
    g_string_append_printf (json, ",\"previous_page_uri\":\"%s?%s&Page=%" G_GUINT64_FORMAT "\"",
                            base, params->str, page - 1);
  else
    g_string_append (json, ",\"previous_page_uri\":null");
  g_string_append_printf (json, ",\"start\":%" G_GUINT64_FORMAT ",\"uri\":\"%s?%s&Page=%" G_GUINT64_FORMAT "\"}",
                          start, base, params->str, page);
  respond_json (msg, SOUP_STATUS_OK, json);
}

static void
twilio_not_found (SoupServerMessage *msg,
                  const char        *path)
{
  g_autofree char *text = g_strdup_printf ("The requested resource %s was not found", path);

  twilio_error (msg, SOUP_STATUS_NOT_FOUND, 20404, text);
}

static void
handle_twilio (TcSimulator       *self,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               GBytes            *body)
{
  const char *method = soup_server_message_get_method (msg);
  g_auto(GStrv) parts = g_strsplit (path + strlen (TWILIO_PREFIX), "/", 0);
  g_autofree char *token = NULL;
  guint n = g_strv_length (parts);

  /* {AccountSid}/Messages.json or {AccountSid}/Messages/{Sid}.json */
  if (n < 2 || !is_account_sid (parts[0]) || strcmp (parts[1], n == 2 ? "Messages.json" : "Messages") != 0 ||
      n > 3 || (n == 3 && !g_str_has_suffix (parts[2], ".json")))
    {
      twilio_not_found (msg, path);
      return;
    }
  if (n == 2 ? (method != SOUP_METHOD_POST && method != SOUP_METHOD_GET) : method != SOUP_METHOD_GET)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", n == 2 ? "GET, POST" : "GET");
      twilio_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, 20004, "Method not allowed");
      return;
    }

  token = twilio_auth (msg, parts[0]);
  if (token == NULL)
    return;

  if (n == 2 && method == SOUP_METHOD_POST)
    twilio_create (self, msg, parts[0], token, body);
  else if (n == 2)
    twilio_list (self, msg, parts[0], query);
  else
    {
      g_autofree char *sid = g_strndup (parts[2], strlen (parts[2]) - strlen (".json"));
      Message *m = g_hash_table_lookup (self->by_sid, sid);
      GString *json;

      if (m == NULL || strcmp (m->account->first, parts[0]) != 0)
        twilio_not_found (msg, path);
      else
        {
          json = g_string_sized_new (1024);
          append_twilio_resource (json, m);
          respond_json (msg, SOUP_STATUS_OK, json);
        }
    }
  memset (token, 0, strlen (token));
}

/* ------------------------------------------------------------------------
 * Meta
 */

static JsonObject *
member_object (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
member_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static void
meta_invalid (TcSimulator       *self,
              SoupServerMessage *msg,
              const char        *message,
              const char        *details)
{
  meta_error (self, msg, SOUP_STATUS_BAD_REQUEST, 100, "OAuthException", message, details);
}

/* Checks the message's own object (text, image, template, …); FALSE
 * after answering 400. Sets *@text for the log. */
static gboolean
meta_check_content (TcSimulator       *self,
                    SoupServerMessage *msg,
                    JsonObject        *request,
                    const char        *type,
                    const char       **text)
{
  static const char * const media_types[] = { "image", "audio", "video", "document", "sticker" };
  static const char * const other_types[] = { "interactive", "location", "contacts", "reaction" };
  JsonObject *content = member_object (request, type);
  g_autofree char *words = NULL;

  *text = "";
  if (content == NULL)
    {
      words = g_strdup_printf ("(#100) The parameter %s is required.", type);
      meta_invalid (self, msg, words, NULL);
      return FALSE;
    }

  if (strcmp (type, "text") == 0)
    {
      const char *body = member_string (content, "body");

      if (body == NULL || body[0] == '\0')
        {
          meta_invalid (self, msg, "(#100) The parameter text['body'] is required.", NULL);
          return FALSE;
        }
      if (g_utf8_strlen (body, -1) > META_MAX_TEXT_CHARS)
        {
          meta_invalid (self, msg, "(#100) Param text['body'] must be at most 4096 characters long.", NULL);
          return FALSE;
        }
      *text = body;
      return TRUE;
    }

  if (strcmp (type, "template") == 0)
    {
      const char *name = member_string (content, "name");
      const char *language = member_string (member_object (content, "language"), "code");

      if (name == NULL || name[0] == '\0')
        {
          meta_invalid (self, msg, "(#100) The parameter template['name'] is required.", NULL);
          return FALSE;
        }
      if (language == NULL || language[0] == '\0')
        {
          meta_invalid (self, msg, "(#100) The parameter template['language']['code'] is required.", NULL);
          return FALSE;
        }
      return TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (media_types); i++)
    if (strcmp (type, media_types[i]) == 0)
      {
        const char *link = member_string (content, "link");
        const char *caption = member_string (content, "caption");

        if (member_string (content, "id") == NULL && !is_web_url (link))
          {
            words = g_strdup_printf ("(#100) The parameter %s['link'] or %s['id'] is required.", type, type);
            meta_invalid (self, msg, words, NULL);
            return FALSE;
          }
        if (caption != NULL && g_utf8_strlen (caption, -1) > META_MAX_CAPTION_CHARS)
          {
            meta_invalid (self, msg, "(#100) Param caption must be at most 1024 characters long.", NULL);
            return FALSE;
          }
        *text = caption != NULL ? caption : "";
        return TRUE;
      }

  for (guint i = 0; i < G_N_ELEMENTS (other_types); i++)
    if (strcmp (type, other_types[i]) == 0)
      return TRUE;

  words = g_strdup_printf ("(#100) Param type must be one of {AUDIO, CONTACTS, DOCUMENT, IMAGE, "
                           "INTERACTIVE, LOCATION, REACTION, STICKER, TEMPLATE, TEXT, VIDEO} - got \"%s\".",
                           type);
  meta_invalid (self, msg, words, NULL);
  return FALSE;
}

static void
handle_meta (TcSimulator       *self,
             SoupServerMessage *msg,
             const char        *path,
             GBytes            *body)
{
  g_auto(GStrv) parts = g_strsplit (path + 1, "/", 0);
  const char *authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                            "Authorization");
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *digits = NULL;
  g_autofree char *plus_to = NULL;
  const char *data;
  gsize size = 0;
  JsonNode *root;
  JsonObject *request;
  const char *to, *type, *text = "";
  guint retry_after = 0;
  Message *m;
  GString *json;

  /* {version}/{phone-number-id}/messages */
  if (g_strv_length (parts) != 3 || parts[0][0] != 'v' || strspn (parts[0] + 1, "0123456789.") != strlen (parts[0] + 1) ||
      parts[0][1] == '\0' || strcmp (parts[2], "messages") != 0)
    {
      meta_error (self, msg, SOUP_STATUS_NOT_FOUND, 100, "GraphMethodException",
                  "Unsupported request - method type: post", NULL);
      return;
    }
  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      meta_error (self, msg, SOUP_STATUS_BAD_REQUEST, 100, "GraphMethodException",
                  "Unsupported get request. Please read the Graph API documentation", NULL);
      return;
    }
  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0 ||
      authorization[7] == '\0' || strchr (authorization + 7, ' ') != NULL)
    {
      meta_error (self, msg, SOUP_STATUS_UNAUTHORIZED, 190, "OAuthException",
                  "Invalid OAuth access token - Cannot parse access token", NULL);
      return;
    }
  if (!all_digits (parts[1], 1, 32))
    {
      g_autofree char *words = g_strdup_printf ("Unsupported post request. Object with ID '%s' does not exist, "
                                                "cannot be loaded due to missing permissions, or does not "
                                                "support this operation.", parts[1]);

      meta_error (self, msg, SOUP_STATUS_BAD_REQUEST, 100, "GraphMethodException", words, NULL);
      return;
    }

  data = g_bytes_get_data (body, &size);
  parser = json_parser_new_immutable ();
  if (data == NULL || size == 0 || !json_depth_ok (data, size) ||
      !json_parser_load_from_data (parser, data, (gssize) size, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      meta_invalid (self, msg, "(#100) The request body is not a JSON object.", NULL);
      return;
    }
  request = json_node_get_object (root);

  if (g_strcmp0 (member_string (request, "messaging_product"), "whatsapp") != 0)
    {
      meta_invalid (self, msg, "(#100) The parameter messaging_product is required.", NULL);
      return;
    }
  to = member_string (request, "to");
  if (to == NULL || to[0] == '\0')
    {
      meta_invalid (self, msg, "(#100) The parameter to is required.", NULL);
      return;
    }
  digits = g_strdup (to[0] == '+' ? to + 1 : to);
  if (!all_digits (digits, 6, 15) || digits[0] == '0')
    {
      meta_error (self, msg, SOUP_STATUS_BAD_REQUEST, 131009, "OAuthException",
                  "(#131009) Parameter value is not valid", "The 'to' parameter is not a valid phone number.");
      return;
    }
  type = member_string (request, "type");
  if (type == NULL)
    type = "text";
  if (!meta_check_content (self, msg, request, type, &text))
    return;

  if (!take_token (self, &retry_after))
    {
      set_retry_after (msg, retry_after);
      meta_error (self, msg, 429, 130429, "OAuthException", "(#130429) Rate limit hit",
                  "Cloud API message throughput has been reached.");
      return;
    }

  m = g_new0 (Message, 1);
  m->refs = 1;
  m->kind = KIND_WHATSAPP;
  m->is_template = strcmp (type, "template") == 0;
  m->state = STATE_ACCEPTED;
  m->created = m->updated = g_get_real_time () / G_USEC_PER_SEC;
  m->account = shared_get (self, "P", parts[1], NULL);
  m->id = new_wamid (self, digits);
  m->to = g_strdup (digits);

  plus_to = g_strconcat ("+", digits, NULL);
  if (!log_accepted (self, "whatsapp", m->id, plus_to, text))
    {
      message_unref (self, m);
      meta_error (self, msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, 1, "OAuthException",
                  "An unknown error occurred", NULL);
      return;
    }

  json = g_string_sized_new (256);
  g_string_append (json, "{\"messaging_product\":\"whatsapp\",\"contacts\":[{");
  append_member (json, "input", to);
  append_member (json, "wa_id", digits);
  g_string_append (json, "}],\"messages\":[{");
  append_member (json, "id", m->id);
  if (m->is_template)
    append_member (json, "message_status", "accepted");
  g_string_append (json, "}]}");
  respond_json (msg, SOUP_STATUS_OK, json);

  accept_message (self, m);
}

/* ------------------------------------------------------------------------
 * The server
 */

#define BODY_KEY "tc-simulator-body"
#define TOO_LARGE_KEY "tc-simulator-too-large"

static gsize
request_limit (const char *path)
{
  return path != NULL && g_str_has_prefix (path, TWILIO_PREFIX) ? TWILIO_MAX_REQUEST : META_MAX_REQUEST;
}

static void
respond_too_large (TcSimulator       *self,
                   SoupServerMessage *msg,
                   const char        *path)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
  if (request_limit (path) == TWILIO_MAX_REQUEST)
    twilio_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, 20001,
                  "The request is larger than 64 KiB");
  else
    meta_error (self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, 100, "OAuthException",
                "(#100) The request is larger than 1 MiB", NULL);
}

typedef struct
{
  GByteArray *data;
  gsize       limit;
  gsize       total;
  gboolean    too_large;
} BodyCounter;

static void
body_counter_free (BodyCounter *counter)
{
  g_clear_pointer (&counter->data, g_byte_array_unref);
  g_free (counter);
}

static void
on_request_got_chunk_cb (SoupServerMessage *msg,
                         GBytes            *chunk,
                         gpointer           user_data)
{
  BodyCounter *counter = user_data;
  gsize size = g_bytes_get_size (chunk);

  counter->total += size;
  if (!counter->too_large && counter->total > counter->limit)
    {
      counter->too_large = TRUE;
      g_clear_pointer (&counter->data, g_byte_array_unref);
    }
  if (counter->too_large)
    {
      /* Enough: the rest is not read, and the client sees the end. */
      if (counter->total > 2 * counter->limit)
        {
          GSocket *socket = tc_soup_listener_get_socket (msg);

          g_signal_handlers_disconnect_by_func (msg, on_request_got_chunk_cb, user_data);
          if (socket != NULL)
            g_socket_shutdown (socket, TRUE, TRUE, NULL);
        }
      return;
    }
  g_byte_array_append (counter->data, g_bytes_get_data (chunk, NULL), size);
}

/* After the headers, before the body: bodies are bounded. */
static void
early_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  TcSimulator *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);
  gsize limit = request_limit (path);
  BodyCounter *counter;

  if (encoding == SOUP_ENCODING_NONE ||
      (encoding == SOUP_ENCODING_CONTENT_LENGTH &&
       soup_message_headers_get_content_length (headers) <= (goffset) limit))
    return;

  /* Too long, or of unknown length: counted as it arrives. */
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  counter = g_new0 (BodyCounter, 1);
  counter->limit = limit;
  counter->data = g_byte_array_new ();
  if (encoding == SOUP_ENCODING_CONTENT_LENGTH)
    {
      counter->too_large = TRUE;
      g_clear_pointer (&counter->data, g_byte_array_unref);
      respond_too_large (self, msg, path);
    }
  g_object_set_data_full (G_OBJECT (msg), BODY_KEY, counter, (GDestroyNotify) body_counter_free);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_request_got_chunk_cb), counter);
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  TcSimulator *self = user_data;
  BodyCounter *counter = g_object_get_data (G_OBJECT (msg), BODY_KEY);
  g_autoptr(GBytes) body = NULL;

  if (counter != NULL && counter->too_large)
    {
      respond_too_large (self, msg, path);
      return;
    }
  if (counter != NULL)
    body = g_bytes_new (counter->data->data, counter->data->len);
  else
    body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  if (g_str_has_prefix (path, TWILIO_PREFIX))
    handle_twilio (self, msg, path, query, body);
  else if (!_tc_sim_templates_handle (self->templates, msg, path, query, body, self->base_url))
    handle_meta (self, msg, path, body);
}

/* ------------------------------------------------------------------------
 * The object
 */

static void
clear_queues (TcSimulator *self)
{
  for (guint i = 0; i < N_STEPS; i++)
    {
      GList *link;

      while ((link = g_queue_pop_head_link (&self->steps[i])) != NULL)
        {
          self->n_pending--;
          message_unref (self, link->data);
        }
    }
  while (self->retained.length > 0)
    {
      Message *m = g_queue_pop_head_link (&self->retained)->data;

      m->retained = FALSE;
      message_unref (self, m);
    }
  g_hash_table_remove_all (self->by_sid);
}

static void
tc_simulator_dispose (GObject *object)
{
  TcSimulator *self = (TcSimulator *) object;

  tc_simulator_stop (self);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (tc_simulator_parent_class)->dispose (object);
}

static void
tc_simulator_finalize (GObject *object)
{
  TcSimulator *self = (TcSimulator *) object;

  clear_queues (self);
  g_clear_pointer (&self->by_sid, g_hash_table_unref);
  g_clear_pointer (&self->opted_out, g_hash_table_unref);
  g_clear_pointer (&self->shared, g_hash_table_unref);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);
  if (self->twilio_auth_token != NULL)
    memset (self->twilio_auth_token, 0, strlen (self->twilio_auth_token));
  if (self->whatsapp_app_secret != NULL)
    memset (self->whatsapp_app_secret, 0, strlen (self->whatsapp_app_secret));
  g_clear_pointer (&self->twilio_auth_token, g_free);
  g_clear_pointer (&self->whatsapp_app_secret, g_free);
  g_clear_pointer (&self->whatsapp_webhook_url, g_free);
  g_clear_pointer (&self->twilio_inbound_url, g_free);
  g_clear_pointer (&self->log_path, g_free);
  g_clear_pointer (&self->templates, _tc_sim_templates_free);
  g_clear_pointer (&self->base_url, g_free);

  G_OBJECT_CLASS (tc_simulator_parent_class)->finalize (object);
}

static void
tc_simulator_class_init (TcSimulatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tc_simulator_dispose;
  object_class->finalize = tc_simulator_finalize;
}

static void
tc_simulator_init (TcSimulator *self)
{
  self->shared = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_sid = g_hash_table_new (g_str_hash, g_str_equal);
  self->opted_out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
  self->nonce = ((guint64) g_random_int () << 32) | g_random_int ();
  g_queue_init (&self->retained);
  for (guint i = 0; i < N_STEPS; i++)
    g_queue_init (&self->steps[i]);
}

void
tc_simulator_config_init (TcSimulatorConfig *config)
{
  g_return_if_fail (config != NULL);

  memset (config, 0, sizeof *config);
  config->delivered_ratio = 0.95;
  config->failed_ratio = 0.03;
  config->read_ratio = 0.6;
  config->reply_ratio = 0.05;
  config->status_delay_ms = 200;
}

static char *
dup_nonempty (const char *text)
{
  return text != NULL && text[0] != '\0' ? g_strdup (text) : NULL;
}

TcSimulator *
tc_simulator_new (const TcSimulatorConfig *config)
{
  TcSimulator *self;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (config->max_rate >= 0, NULL);
  g_return_val_if_fail (config->delivered_ratio >= 0 && config->failed_ratio >= 0 &&
                        config->delivered_ratio + config->failed_ratio <= 1.0 + 1e-9, NULL);
  g_return_val_if_fail (config->read_ratio >= 0 && config->read_ratio <= 1.0, NULL);
  g_return_val_if_fail (config->reply_ratio >= 0 && config->reply_ratio <= 1.0, NULL);

  self = g_object_new (TC_TYPE_SIMULATOR, NULL);
  self->seed = config->seed;
  self->max_rate = config->max_rate;
  self->delivered_ratio = config->delivered_ratio;
  self->failed_ratio = config->failed_ratio;
  self->read_ratio = config->read_ratio;
  self->reply_ratio = config->reply_ratio;
  self->status_delay_ms = config->status_delay_ms;
  self->twilio_auth_token = dup_nonempty (config->twilio_auth_token);
  self->whatsapp_app_secret = g_strdup (config->whatsapp_app_secret != NULL && config->whatsapp_app_secret[0] != '\0'
                                        ? config->whatsapp_app_secret : DEFAULT_SECRET);
  self->whatsapp_webhook_url = dup_nonempty (config->whatsapp_webhook_url);
  self->twilio_inbound_url = dup_nonempty (config->twilio_inbound_url);
  self->keep_replies = config->keep_replies && self->twilio_inbound_url == NULL;
  self->log_path = dup_nonempty (config->log_path);
  self->templates = _tc_sim_templates_new (config->template_review_ms);
  self->rand = g_rand_new_with_seed (config->seed);
  self->tokens = MAX (1.0, config->max_rate);
  self->tokens_at = g_get_monotonic_time ();

  return self;
}

gboolean
tc_simulator_listen (TcSimulator  *self,
                     const char   *address,
                     guint         port,
                     GError      **error)
{
  g_autoptr(GInetAddress) inet_address = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(TcSoupListener) listener = NULL;
  GInetSocketAddress *bound;
  g_autofree char *host = NULL;
  FILE *log = NULL;

  g_return_val_if_fail (TC_IS_SIMULATOR (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);
  g_return_val_if_fail (port <= 65535, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->server != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "The simulator already listens on %s", self->base_url);
      return FALSE;
    }
  if (self->timer == NULL && g_cancellable_is_cancelled (self->cancellable))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                           "The simulator was stopped; make a new one to listen again");
      return FALSE;
    }

  inet_address = g_inet_address_new_from_string (address);
  if (inet_address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an IP address to listen on (for example 127.0.0.1)", address);
      return FALSE;
    }

  if (self->log_path != NULL)
    {
      log = fopen (self->log_path, "ae");
      if (log == NULL)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "Cannot open the simulator log %s: %s", self->log_path, g_strerror (saved));
          return FALSE;
        }
      setvbuf (log, NULL, _IOFBF, 64 * 1024);
    }

  server = soup_server_new ("server-header", "TextcastSimulator", NULL);
  soup_server_add_early_handler (server, NULL, early_handler, self, NULL);
  soup_server_add_handler (server, NULL, handler, self, NULL);

  /* Bursts of new connections (one per message) must not overflow the
   * queue of connections waiting to be accepted. Every answer says
   * "Connection: close": the server keeps no connection (tc-soup.h). */
  listener = tc_soup_listener_new (server, inet_address, port, 1024, error);
  if (listener == NULL)
    {
      g_prefix_error (error, "Cannot listen on %s port %u: ", address, port);
      if (log != NULL)
        fclose (log);
      return FALSE;
    }
  bound = tc_soup_listener_get_address (listener);

  self->server = g_steal_pointer (&server);
  self->listener = g_steal_pointer (&listener);
  self->log = log;
  self->port = g_inet_socket_address_get_port (bound);
  host = g_inet_address_to_string (g_inet_socket_address_get_address (bound));
  g_free (self->base_url);
  if (strchr (host, ':') != NULL)
    self->base_url = g_strdup_printf ("http://[%s]:%u", host, self->port);
  else
    self->base_url = g_strdup_printf ("http://%s:%u", host, self->port);

  if (self->session == NULL)
    self->session = tc_soup_session_new ();
  self->context = g_main_context_ref_thread_default ();
  self->timer = g_source_new (&timer_funcs, sizeof (GSource));
  g_source_set_callback (self->timer, on_timer_cb, self, NULL);
  g_source_set_static_name (self->timer, "[tc-simulator] steps");
  g_source_set_ready_time (self->timer, -1);
  g_source_attach (self->timer, self->context);

  return TRUE;
}

const char *
tc_simulator_get_base_url (TcSimulator *self)
{
  g_return_val_if_fail (TC_IS_SIMULATOR (self), NULL);

  return self->base_url;
}

guint
tc_simulator_get_port (TcSimulator *self)
{
  g_return_val_if_fail (TC_IS_SIMULATOR (self), 0);

  return self->port;
}

guint64
tc_simulator_get_n_accepted (TcSimulator *self)
{
  g_return_val_if_fail (TC_IS_SIMULATOR (self), 0);

  return self->n_accepted;
}

guint64
tc_simulator_get_n_replies (TcSimulator *self)
{
  g_return_val_if_fail (TC_IS_SIMULATOR (self), 0);

  return self->n_replies;
}

void
tc_simulator_stop (TcSimulator *self)
{
  g_return_if_fail (TC_IS_SIMULATOR (self));

  g_clear_pointer (&self->listener, tc_soup_listener_free);
  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  g_cancellable_cancel (self->cancellable);
  if (self->session != NULL)
    soup_session_abort (self->session);
  clear_queues (self);
  if (self->log != NULL)
    {
      fclose (self->log);
      self->log = NULL;
    }
}
