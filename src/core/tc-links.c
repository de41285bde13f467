/* tc-links.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Links in message text: finding them, adding UTM parameters, and
 * rewriting them to per-recipient short links.
 *
 * What counts as a link: anything starting with "http://" or "https://"
 * (any case), and bare "www." forms, at a word boundary. A link runs until
 * white space, a control character or one of < > " and then loses trailing
 * sentence punctuation (". , ; : ! ? ' \" *", non-ASCII punctuation such as
 * "…" or "。", and closing brackets that have no opening partner inside the
 * link, so "(see https://x.example/a_(b))" keeps the inner pair).
 *
 * Mustache tags inside a link ("https://shop.example/cart/{{cart_id}}",
 * "{{{ raw }}}" and tags with spaces) are kept verbatim: a tag is an atomic
 * unit while scanning, so its braces, spaces, '#' or '?' never end the link or
 * get taken for the query or the fragment, and nothing is ever
 * percent-encoded in the existing text. This makes tagging work both on the
 * template source (tags survive and are rendered later) and on the rendered
 * text. The send path should tag *after* rendering, because that also
 * reaches links that come from variables ("{{event.cart_url}}" is not a link
 * in the source); tagging the source is what the editor preview does.
 *
 * GUri is deliberately not used to rewrite URLs: g_uri_to_string() would
 * normalize what the author wrote (IDN hosts, percent-encoding, a ";" or a
 * "+" in the query) and cannot parse a URL with "{{" in it at all. The
 * rewrite only appends "&utm_…=…" before the fragment and leaves every
 * other byte alone.
 */

#define G_LOG_DOMAIN "tc-links"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <gio/gio.h>

#include "tc-links.h"

static const char base62[] =
  "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/* Returns the byte length of a Mustache tag starting at @p ("{{…}}" or
 * "{{{…}}}"), or 0 when @p is not the start of a closed tag. */
static gsize
mustache_tag_length (const char *p)
{
  const char *close;

  if (p[0] != '{' || p[1] != '{')
    return 0;

  if (p[2] == '{')
    {
      close = strstr (p + 3, "}}}");
      return close != NULL ? (gsize) (close + 3 - p) : 0;
    }

  close = strstr (p + 2, "}}");
  return close != NULL ? (gsize) (close + 2 - p) : 0;
}

static gboolean
has_prefix_ascii_case (const char *p,
                       const char *prefix)
{
  return g_ascii_strncasecmp (p, prefix, strlen (prefix)) == 0;
}

/* The length of the prefix that starts a link at @p, or 0. */
static gsize
link_prefix_length (const char *p)
{
  if (has_prefix_ascii_case (p, "https://"))
    return 8;
  if (has_prefix_ascii_case (p, "http://"))
    return 7;
  if (has_prefix_ascii_case (p, "www."))
    return 4;
  return 0;
}

static gboolean
is_link_start_char (const char *p)
{
  gunichar c = g_utf8_get_char (p);

  return c == '[' || c == '{' || g_unichar_isalnum (c);
}

static gboolean
is_boundary_before (const char *text,
                    const char *p)
{
  gunichar c;

  if (p == text)
    return TRUE;

  c = g_utf8_get_char (g_utf8_find_prev_char (text, p));
  return !(g_unichar_isalnum (c) || c == '@' || c == '.' || c == '/'
           || c == '-' || c == '_');
}

static gboolean
ends_link (gunichar c)
{
  return c == 0 || c < 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"'
         || g_unichar_isspace (c)
         || g_unichar_type (c) == G_UNICODE_LINE_SEPARATOR
         || g_unichar_type (c) == G_UNICODE_PARAGRAPH_SEPARATOR;
}

static guint
count_char (const char *start,
            const char *end,
            char        c)
{
  guint n = 0;

  for (const char *p = start; p < end; p++)
    if (*p == c)
      n++;

  return n;
}

/* Whether the character ending at @end (exclusive) is trailing punctuation
 * that belongs to the sentence rather than to the link. */
static gboolean
is_trailing_punctuation (const char *start,
                         const char *end)
{
  const char *prev = g_utf8_find_prev_char (start, end);
  GUnicodeType type;
  gunichar c;

  if (prev == NULL)
    return FALSE;

  c = g_utf8_get_char (prev);

  if (c < 0x80)
    {
      if (strchr (".,;:!?'*", (int) c) != NULL || c == '"')
        return TRUE;
      if (c == ')')
        return count_char (start, end, ')') > count_char (start, end, '(');
      if (c == ']')
        return count_char (start, end, ']') > count_char (start, end, '[');
      if (c == '}')
        return count_char (start, end, '}') > count_char (start, end, '{');
      return FALSE;
    }

  type = g_unichar_type (c);
  return type == G_UNICODE_OTHER_PUNCTUATION
         || type == G_UNICODE_INITIAL_PUNCTUATION
         || type == G_UNICODE_FINAL_PUNCTUATION
         || type == G_UNICODE_CLOSE_PUNCTUATION;
}

/**
 * tc_links_find:
 * @text: UTF-8 text
 *
 * Finds the links in @text (see the top of tc-links.c for what counts).
 *
 * Returns: (transfer full) (element-type TcLinkSpan): the spans, in order
 */
GArray *
tc_links_find (const char *text)
{
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (TcLinkSpan));
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);

  p = text;
  while (*p != '\0')
    {
      gsize prefix = link_prefix_length (p);
      const char *q;
      const char *protected_end;
      const char *end;

      if (prefix == 0 || !is_boundary_before (text, p)
          || !is_link_start_char (p + prefix))
        {
          p = g_utf8_next_char (p);
          continue;
        }

      q = p + prefix;
      protected_end = q;
      while (*q != '\0')
        {
          gsize tag = mustache_tag_length (q);

          if (tag > 0)
            {
              q += tag;
              protected_end = q;
              continue;
            }
          if (ends_link (g_utf8_get_char (q)))
            break;
          q = g_utf8_next_char (q);
        }

      end = q;
      while (end > protected_end && is_trailing_punctuation (p, end))
        end = g_utf8_find_prev_char (p, end);

      if (end > p + prefix)
        {
          TcLinkSpan span = { (gsize) (p - text), (gsize) (end - text) };

          g_array_append_val (spans, span);
          p = end;
        }
      else
        {
          p += prefix;
        }
    }

  return g_steal_pointer (&spans);
}

/**
 * tc_links_default_source:
 * @channel: a #TcChannel
 *
 * Returns: "sms" or "whatsapp"
 */
const char *
tc_links_default_source (TcChannel channel)
{
  return channel == TC_CHANNEL_WHATSAPP ? "whatsapp" : "sms";
}

/**
 * tc_links_default_medium:
 * @channel: a #TcChannel
 *
 * The utm_medium to use unless the user configured another. For SMS it is
 * "sms", the value Google Analytics' default channel grouping files under
 * its "SMS" channel; for WhatsApp it is "whatsapp".
 *
 * Returns: a static string
 */
const char *
tc_links_default_medium (TcChannel channel)
{
  return channel == TC_CHANNEL_WHATSAPP ? "whatsapp" : "sms";
}

/**
 * tc_links_slugify:
 * @name: a campaign name
 *
 * Makes a utm_campaign value: lower case, Latin letters without their
 * accents ("Été" → "ete"), other letters and digits kept as they are
 * (they are percent-encoded in the URL), and every run of anything else
 * turned into one "-", with none at either end.
 *
 * Returns: (transfer full): the slug, possibly ""
 */
char *
tc_links_slugify (const char *name)
{
  g_autoptr(GString) slug = g_string_new (NULL);
  gboolean pending_dash = FALSE;

  g_return_val_if_fail (name != NULL, NULL);

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      char buf[8] = { 0 };
      g_autofree char *ascii = NULL;
      g_autofree char *lower = NULL;

      if (!g_unichar_isalnum (c))
        {
          pending_dash = slug->len > 0;
          continue;
        }

      if (pending_dash)
        g_string_append_c (slug, '-');
      pending_dash = FALSE;

      g_unichar_to_utf8 (c, buf);
      ascii = g_str_to_ascii (buf, "C");
      if (ascii[0] != '\0' && strchr (ascii, '?') == NULL)
        lower = g_ascii_strdown (ascii, -1);
      else
        lower = g_utf8_strdown (buf, -1);

      for (const char *l = lower; *l != '\0'; l++)
        if (g_ascii_isalnum (*l) || (guchar) *l >= 0x80)
          g_string_append_c (slug, *l);
    }

  return g_string_free (g_steal_pointer (&slug), FALSE);
}

static gboolean
query_has_param (const char *query,
                 gsize       query_len,
                 const char *name)
{
  const char *p = query;
  const char *end = query + query_len;

  while (p < end)
    {
      const char *amp = memchr (p, '&', (gsize) (end - p));
      const char *piece_end = amp != NULL ? amp : end;
      const char *eq = memchr (p, '=', (gsize) (piece_end - p));
      const char *name_end = eq != NULL ? eq : piece_end;
      g_autofree char *raw = g_strndup (p, (gsize) (name_end - p));
      g_autofree char *decoded = g_uri_unescape_string (raw, NULL);

      if (g_ascii_strcasecmp (decoded != NULL ? decoded : raw, name) == 0)
        return TRUE;

      p = piece_end + 1;
    }

  return FALSE;
}

static void
append_param (GString    *out,
              gboolean   *need_amp,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = NULL;

  if (value == NULL || value[0] == '\0')
    return;

  escaped = g_uri_escape_string (value, NULL, FALSE);
  if (*need_amp)
    g_string_append_c (out, '&');
  g_string_append_printf (out, "%s=%s", name, escaped);
  *need_amp = TRUE;
}

/**
 * tc_links_add_utm:
 * @url: a link as found by tc_links_find()
 * @utm: the parameters
 *
 * Appends the UTM parameters that @url does not have yet to its query,
 * before the fragment. Existing parameters keep their order and their
 * encoding; a utm_* parameter the author already wrote is kept and not
 * repeated. A link without a path gets "/" before the new query
 * ("https://shop.example" → "https://shop.example/?utm_source=sms").
 *
 * Returns: (transfer full): the tagged URL
 */
char *
tc_links_add_utm (const char        *url,
                  const TcUtmParams *utm)
{
  static const char *const names[] = {
    "utm_source", "utm_medium", "utm_campaign", "utm_content",
  };
  const char *values[G_N_ELEMENTS (names)];
  g_autoptr(GString) out = NULL;
  gsize len;
  gsize frag_pos;
  gsize query_pos = G_MAXSIZE;
  gsize authority;
  gsize path_pos;
  gboolean need_amp;
  gboolean any = FALSE;

  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (utm != NULL, NULL);

  values[0] = utm->source;
  values[1] = utm->medium;
  values[2] = utm->campaign;
  values[3] = utm->content;

  len = strlen (url);
  frag_pos = len;
  for (gsize i = 0; i < len; )
    {
      gsize tag = mustache_tag_length (url + i);

      if (tag > 0)
        {
          i += tag;
          continue;
        }
      if (url[i] == '#')
        {
          frag_pos = i;
          break;
        }
      if (url[i] == '?' && query_pos == G_MAXSIZE)
        query_pos = i;
      i++;
    }

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (values[i] == NULL || values[i][0] == '\0')
        continue;
      if (query_pos != G_MAXSIZE
          && query_has_param (url + query_pos + 1, frag_pos - query_pos - 1, names[i]))
        {
          values[i] = NULL;
          continue;
        }
      any = TRUE;
    }

  if (!any)
    return g_strdup (url);

  out = g_string_sized_new (len + 96);

  if (query_pos == G_MAXSIZE)
    {
      const char *sep = strstr (url, "://");

      authority = sep != NULL && (gsize) (sep - url) < frag_pos ? (gsize) (sep - url) + 3 : 0;
      path_pos = authority;
      while (path_pos < frag_pos && url[path_pos] != '/')
        {
          gsize tag = mustache_tag_length (url + path_pos);

          path_pos += tag > 0 ? tag : 1;
        }

      g_string_append_len (out, url, (gssize) frag_pos);
      if (path_pos >= frag_pos)
        g_string_append_c (out, '/');
      g_string_append_c (out, '?');
      need_amp = FALSE;
    }
  else
    {
      g_string_append_len (out, url, (gssize) frag_pos);
      need_amp = frag_pos > query_pos + 1 && url[frag_pos - 1] != '&';
    }

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    append_param (out, &need_amp, names[i], values[i]);

  g_string_append (out, url + frag_pos);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * tc_links_tag_text:
 * @text: a message, rendered or not
 * @utm: the parameters
 *
 * Runs tc_links_add_utm() on every link of @text.
 *
 * Returns: (transfer full): the new text
 */
char *
tc_links_tag_text (const char        *text,
                   const TcUtmParams *utm)
{
  g_autoptr(GArray) spans = NULL;
  g_autoptr(GString) out = NULL;
  gsize pos = 0;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (utm != NULL, NULL);

  spans = tc_links_find (text);
  out = g_string_sized_new (strlen (text) + spans->len * 96);

  for (guint i = 0; i < spans->len; i++)
    {
      const TcLinkSpan *span = &g_array_index (spans, TcLinkSpan, i);
      g_autofree char *url = g_strndup (text + span->start, span->end - span->start);
      g_autofree char *tagged = tc_links_add_utm (url, utm);

      g_string_append_len (out, text + pos, (gssize) (span->start - pos));
      g_string_append (out, tagged);
      pos = span->end;
    }
  g_string_append (out, text + pos);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * tc_links_generate_code:
 * @error: return location for a #GError
 *
 * Draws a short-link code of %TC_LINKS_CODE_LENGTH base62 characters from
 * getrandom(2), the kernel CSPRNG (GRand is not meant for secrets: codes
 * must not be guessable from one another). Rejection sampling keeps every
 * character equally likely.
 *
 * Returns: (transfer full) (nullable): the code, or %NULL if the kernel
 *   refused to give random bytes
 */
char *
tc_links_generate_code (GError **error)
{
  char code[TC_LINKS_CODE_LENGTH + 1];
  guint n = 0;

  while (n < TC_LINKS_CODE_LENGTH)
    {
      guchar buf[32];
      ssize_t got = getrandom (buf, sizeof buf, 0);

      if (got < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "Could not read random bytes: %s", g_strerror (saved_errno));
          return NULL;
        }

      for (ssize_t i = 0; i < got && n < TC_LINKS_CODE_LENGTH; i++)
        {
          /* 248 = 4 × 62: bytes at or above it would favour the first
           * eight characters. */
          if (buf[i] < 248)
            code[n++] = base62[buf[i] % 62];
        }
    }

  code[n] = '\0';
  return g_strdup (code);
}

/**
 * tc_links_short_link_length:
 * @short_domain: the short-link host, e.g. "tc.example"
 *
 * Returns: the length in characters of any short link on @short_domain:
 *   "https://" + domain + "/l/" + %TC_LINKS_CODE_LENGTH (the path that
 *   Textcast's HTTP endpoint serves, src/net/tc-http-server.c)
 */
glong
tc_links_short_link_length (const char *short_domain)
{
  g_return_val_if_fail (short_domain != NULL && short_domain[0] != '\0', 0);

  return (glong) strlen ("https://") + g_utf8_strlen (short_domain, -1)
         + (glong) strlen ("/l/") + TC_LINKS_CODE_LENGTH;
}

static char *
rewrite_links (const char  *text,
               const char  *short_domain,
               TcShortLinkAllocFunc func,
               gpointer     user_data,
               GError     **error)
{
  g_autoptr(GArray) spans = tc_links_find (text);
  g_autoptr(GString) out = g_string_sized_new (strlen (text));
  gsize pos = 0;

  for (guint i = 0; i < spans->len; i++)
    {
      const TcLinkSpan *span = &g_array_index (spans, TcLinkSpan, i);
      g_autofree char *url = g_strndup (text + span->start, span->end - span->start);
      g_autofree char *long_url = NULL;
      g_autofree char *code = NULL;

      /* A bare "www." link needs a scheme to be a redirect target. */
      if (has_prefix_ascii_case (url, "www."))
        long_url = g_strconcat ("https://", url, NULL);
      else
        long_url = g_steal_pointer (&url);

      code = func (long_url, i, user_data, error);
      if (code == NULL)
        return NULL;

      g_string_append_len (out, text + pos, (gssize) (span->start - pos));
      g_string_append_printf (out, "https://%s/l/%s", short_domain, code);
      pos = span->end;
    }
  g_string_append (out, text + pos);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * tc_links_shorten_text:
 * @text: a rendered message (run tc_links_tag_text() first so the long
 *   URLs carry the UTM parameters)
 * @short_domain: the host of Textcast's short-link endpoint, without scheme
 * @func: (scope call): allocates and records one code per link
 * @user_data: closure for @func
 * @error: return location for a #GError
 *
 * Replaces every link of @text with "https://<short_domain>/l/<code>".
 *
 * Returns: (transfer full) (nullable): the new text, or %NULL with the
 *   error @func reported
 */
char *
tc_links_shorten_text (const char            *text,
                       const char            *short_domain,
                       TcShortLinkAllocFunc   func,
                       gpointer               user_data,
                       GError               **error)
{
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (short_domain != NULL && short_domain[0] != '\0', NULL);
  g_return_val_if_fail (strstr (short_domain, "://") == NULL, NULL);
  g_return_val_if_fail (func != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return rewrite_links (text, short_domain, func, user_data, error);
}

static char *
placeholder_code (G_GNUC_UNUSED const char  *long_url,
                  G_GNUC_UNUSED guint        index,
                  G_GNUC_UNUSED gpointer     user_data,
                  G_GNUC_UNUSED GError     **error)
{
  /* Every base62 character is in the GSM 7-bit alphabet, so any code
   * counts like this one. */
  return g_strnfill (TC_LINKS_CODE_LENGTH, 'x');
}

/**
 * tc_links_preview_text:
 * @text: a message
 * @short_domain: (nullable): the short-link host, or %NULL when clicks
 *   are not tracked
 *
 * The text as it will be sent as far as links go, before any code exists:
 * each link becomes a short link whose code is "xxxxxxxx". Count segments
 * on this text; with @short_domain %NULL it is a copy of @text.
 *
 * Returns: (transfer full): the preview text
 */
char *
tc_links_preview_text (const char *text,
                       const char *short_domain)
{
  g_return_val_if_fail (text != NULL, NULL);

  if (short_domain == NULL || short_domain[0] == '\0')
    return g_strdup (text);

  return rewrite_links (text, short_domain, placeholder_code, NULL, NULL);
}

/**
 * tc_links_final_length:
 * @text: a message
 * @short_domain: (nullable): the short-link host, or %NULL
 *
 * Returns: the length in characters of tc_links_preview_text()
 */
glong
tc_links_final_length (const char *text,
                       const char *short_domain)
{
  g_autofree char *preview = NULL;

  g_return_val_if_fail (text != NULL, 0);

  preview = tc_links_preview_text (text, short_domain);
  return g_utf8_strlen (preview, -1);
}
