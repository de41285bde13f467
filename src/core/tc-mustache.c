/* tc-mustache.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The template is compiled into a flat array of nodes: a section node
 * records the index just past its body, so rendering walks index ranges
 * with no tree and no allocation. Texts point into the template's own copy
 * of the source. Names are split on dots once, at parse time.
 *
 * Standalone lines and partial indentation: the parser removes standalone
 * lines (a section, inverted, closing, comment, partial or set-delimiter tag
 * alone on its line, with only spaces or tabs around it) and marks every
 * node that begins a line of the source with NODE_LINE_START. When a
 * template is rendered as a standalone partial, the renderer writes the
 * partial's indentation before each marked node, which is exactly
 * "prepended to each line of the partial" without re-parsing the partial
 * for each indentation (the spec's own wording), and leaves the lines of
 * interpolated values alone, as the spec requires.
 */

#define G_LOG_DOMAIN "tc-mustache"

#include "config.h"

#include <string.h>

#include "tc-contact.h"
#include "tc-mustache.h"

#define MAX_DELIMITER_LEN 32
#define MAX_CONTEXT_DEPTH 512
#define NOT_FOUND         G_MAXSIZE

G_DEFINE_QUARK (tc-mustache-error-quark, tc_mustache_error)

typedef enum
{
  NODE_TEXT,
  NODE_VARIABLE,
  NODE_SECTION,
  NODE_INVERTED,
  NODE_PARTIAL,
} NodeType;

typedef enum
{
  NODE_LINE_START = 1 << 0, /* the node begins a line of the source */
  NODE_RAW        = 1 << 1, /* {{{name}}} or {{&name}}: never escaped */
  NODE_FALLBACK   = 1 << 2, /* {{name|fallback}} */
  NODE_STANDALONE = 1 << 3, /* a partial alone on its line: indented */
} NodeFlags;

typedef struct
{
  guint8      type;
  guint8      flags;
  guint       end;          /* sections: the index just past the body */
  const char *text;         /* text; partials: the indentation */
  gsize       len;
  char       *name;         /* as written, "a.b.c"; "." for the top */
  char      **parts;        /* the name split on dots; NULL for "." */
  char       *fallback;
  gsize       fallback_len;
} Node;

struct _TcMustacheTemplate
{
  char   *source;
  gsize   source_len;
  GArray *nodes;            /* Node */
};

struct _TcMustachePartials
{
  GMutex      mutex;
  JsonObject *sources;      /* nullable */
  GHashTable *added;        /* name → source */
  GHashTable *compiled;     /* name → TcMustacheTemplate */
};

G_DEFINE_BOXED_TYPE (TcMustacheTemplate, tc_mustache_template,
                     tc_mustache_template_ref, tc_mustache_template_unref)
G_DEFINE_BOXED_TYPE (TcMustachePartials, tc_mustache_partials,
                     tc_mustache_partials_ref, tc_mustache_partials_unref)

/* Parsing */

typedef struct
{
  gsize node;               /* index of the section node */
  gsize offset;             /* where its tag starts */
} OpenSection;

typedef struct
{
  const char *src;
  gsize       len;
  GArray     *nodes;
  GArray     *open;         /* OpenSection */
  char        otag[MAX_DELIMITER_LEN + 2];
  gsize       otag_len;
  char        ctag[MAX_DELIMITER_LEN + 2];  /* "}" + closing: for {{{…}}} */
  gsize       ctag_len;     /* without the leading "}" */
  gboolean    line_start;   /* the next node begins a source line */
  guint      *error_line;
  guint      *error_column;
  GError    **error;
} Parser;

static void
node_clear (gpointer data)
{
  Node *node = data;

  g_free (node->name);
  g_strfreev (node->parts);
  g_free (node->fallback);
}

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static gsize
find (const char *src,
      gsize       len,
      gsize       from,
      const char *needle,
      gsize       needle_len)
{
  while (from + needle_len <= len)
    {
      const char *hit = memchr (src + from, needle[0], len - from - needle_len + 1);

      if (hit == NULL)
        return NOT_FOUND;
      if (memcmp (hit, needle, needle_len) == 0)
        return hit - src;
      from = hit - src + 1;
    }

  return NOT_FOUND;
}

static void
position_of (const char *src,
             gsize       offset,
             guint      *line,
             guint      *column)
{
  gsize line_start = 0;

  *line = 1;
  for (gsize i = 0; i < offset; i++)
    {
      if (src[i] == '\n')
        {
          (*line)++;
          line_start = i + 1;
        }
    }
  /* The source is valid UTF-8 up to @offset (see tc_mustache_parse_full()). */
  *column = g_utf8_strlen (src + line_start, offset - line_start) + 1;
}

G_GNUC_PRINTF (4, 5)
static gboolean
parse_error (Parser     *p,
             gsize       offset,
             int         code,
             const char *format,
             ...)
{
  g_autofree char *what = NULL;
  va_list args;
  guint line, column;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  position_of (p->src, offset, &line, &column);
  if (p->error_line != NULL)
    *p->error_line = line;
  if (p->error_column != NULL)
    *p->error_column = column;
  g_set_error (p->error, TC_MUSTACHE_ERROR, code, "line %u, column %u: %s", line, column, what);

  return FALSE;
}

static Node *
push_node (Parser   *p,
           NodeType  type)
{
  Node node = { 0 };

  node.type = type;
  if (p->line_start)
    node.flags |= NODE_LINE_START;
  p->line_start = FALSE;
  g_array_append_val (p->nodes, node);

  return &g_array_index (p->nodes, Node, p->nodes->len - 1);
}

/* One node per line of text, so that each line start can be indented. */
static void
emit_text (Parser *p,
           gsize   from,
           gsize   to)
{
  while (from < to)
    {
      const char *nl = memchr (p->src + from, '\n', to - from);
      gsize end = nl != NULL ? (gsize) (nl - p->src) + 1 : to;
      Node *node = push_node (p, NODE_TEXT);

      node->text = p->src + from;
      node->len = end - from;
      p->line_start = p->src[end - 1] == '\n';
      from = end;
    }
}

/* A node that renders nothing, to carry an indentation that a tag at the
 * start of a line would otherwise lose. */
static void
emit_line_start (Parser *p)
{
  if (p->line_start)
    push_node (p, NODE_TEXT);
}

static void
trim (const char **s,
      gsize       *n)
{
  while (*n > 0 && is_space ((*s)[0]))
    {
      (*s)++;
      (*n)--;
    }
  while (*n > 0 && is_space ((*s)[*n - 1]))
    (*n)--;
}

static gboolean
has_space (const char *s,
           gsize       n)
{
  for (gsize i = 0; i < n; i++)
    if (is_space (s[i]))
      return TRUE;
  return FALSE;
}

/* Checks and splits the name of a variable, section or inverted tag;
 * @content is what is between the sigil and the closing delimiter. */
static gboolean
parse_name (Parser      *p,
            gsize        offset,
            const char  *content,
            gsize        content_len,
            gboolean     allow_fallback,
            Node        *node)
{
  const char *name = content;
  gsize name_len = content_len;
  const char *bar = memchr (content, '|', content_len);
  g_autofree char *written = NULL;

  if (bar != NULL)
    {
      const char *fallback = bar + 1;
      gsize fallback_len = content + content_len - fallback;

      if (!allow_fallback)
        return parse_error (p, offset, TC_MUSTACHE_ERROR_BAD_NAME,
                            "a fallback (“|”) is only allowed in a variable tag");
      name_len = bar - content;
      trim (&fallback, &fallback_len);
      node->fallback = g_strndup (fallback, fallback_len);
      node->fallback_len = fallback_len;
      node->flags |= NODE_FALLBACK;
    }

  trim (&name, &name_len);
  if (name_len == 0)
    return parse_error (p, offset, TC_MUSTACHE_ERROR_BAD_NAME, "the tag has no name");

  written = g_strndup (name, name_len);
  if (has_space (name, name_len))
    return parse_error (p, offset, TC_MUSTACHE_ERROR_BAD_NAME,
                        "“%s” is not a valid name: a name has no spaces", written);

  if (name_len == 1 && name[0] == '.')
    {
      node->name = g_steal_pointer (&written);
      return TRUE;
    }

  if (name[0] == '.' || name[name_len - 1] == '.' || g_strstr_len (name, name_len, "..") != NULL)
    return parse_error (p, offset, TC_MUSTACHE_ERROR_BAD_NAME,
                        "“%s” is not a valid name: each dot needs a name on both sides",
                        written);

  node->parts = g_strsplit (written, ".", -1);
  node->name = g_steal_pointer (&written);

  return TRUE;
}

static gboolean
set_delimiters (Parser     *p,
                gsize       offset,
                const char *content,
                gsize       content_len)
{
  const char *inner = content;
  gsize inner_len = content_len;
  gsize split = 0;
  gsize second = 0;

  if (content_len == 0 || content[content_len - 1] != '=')
    return parse_error (p, offset, TC_MUSTACHE_ERROR_BAD_DELIMITERS,
                        "a set-delimiter tag must end with “=”, as in {{=<%% %%>=}}");
  inner_len--;
  trim (&inner, &inner_len);

  while (split < inner_len && !is_space (inner[split]))
    split++;
  second = split;
  while (second < inner_len && is_space (inner[second]))
    second++;

  if (split == 0 || second == split || second == inner_len ||
      has_space (inner + second, inner_len - second))
    return parse_error (p, offset, TC_MUSTACHE_ERROR_BAD_DELIMITERS,
                        "a set-delimiter tag needs two delimiters separated by a space, "
                        "as in {{=<%% %%>=}}");

  if (split > MAX_DELIMITER_LEN || inner_len - second > MAX_DELIMITER_LEN)
    return parse_error (p, offset, TC_MUSTACHE_ERROR_BAD_DELIMITERS,
                        "a delimiter can be at most %d bytes long", MAX_DELIMITER_LEN);

  memcpy (p->otag, inner, split);
  p->otag[split] = '\0';
  p->otag_len = split;
  p->ctag[0] = '}';
  memcpy (p->ctag + 1, inner + second, inner_len - second);
  p->ctag[inner_len - second + 1] = '\0';
  p->ctag_len = inner_len - second;

  return TRUE;
}

static gboolean
close_section (Parser     *p,
               gsize       offset,
               const char *content,
               gsize       content_len)
{
  g_autofree char *name = NULL;
  OpenSection *open;
  Node *node;

  trim (&content, &content_len);
  name = g_strndup (content, content_len);

  if (content_len == 0)
    return parse_error (p, offset, TC_MUSTACHE_ERROR_BAD_NAME, "the closing tag has no name");

  if (p->open->len == 0)
    return parse_error (p, offset, TC_MUSTACHE_ERROR_MISMATCHED_CLOSE,
                        "closing tag “%s” has no open section", name);

  open = &g_array_index (p->open, OpenSection, p->open->len - 1);
  node = &g_array_index (p->nodes, Node, open->node);
  if (strcmp (node->name, name) != 0)
    {
      guint line, column;

      position_of (p->src, open->offset, &line, &column);
      return parse_error (p, offset, TC_MUSTACHE_ERROR_MISMATCHED_CLOSE,
                          "closing tag “%s” does not match the open section “%s” "
                          "(line %u, column %u)", name, node->name, line, column);
    }

  node->end = p->nodes->len;
  g_array_set_size (p->open, p->open->len - 1);

  return TRUE;
}

static gboolean
parse (Parser *p)
{
  gsize pos = 0;
  gsize text_start = 0;

  for (;;)
    {
      gsize tag = find (p->src, p->len, pos, p->otag, p->otag_len);
      gsize content_start, close, tag_end;
      gsize line_begin, line_end;
      gboolean standalone = FALSE;
      char sigil;

      if (tag == NOT_FOUND)
        {
          emit_text (p, text_start, p->len);
          break;
        }

      content_start = tag + p->otag_len;
      sigil = content_start < p->len ? p->src[content_start] : '\0';

      switch (sigil)
        {
        case '{':
          content_start++;
          close = find (p->src, p->len, content_start, p->ctag, p->ctag_len + 1);
          if (close == NOT_FOUND)
            return parse_error (p, tag, TC_MUSTACHE_ERROR_UNCLOSED_TAG,
                                "tag “%s{” is not closed: “%s” is missing", p->otag, p->ctag);
          tag_end = close + 1 + p->ctag_len;
          break;

        case '#':
        case '^':
        case '/':
        case '!':
        case '>':
        case '=':
        case '&':
          content_start++;
          G_GNUC_FALLTHROUGH;
        default:
          close = find (p->src, p->len, content_start, p->ctag + 1, p->ctag_len);
          if (close == NOT_FOUND)
            return parse_error (p, tag, TC_MUSTACHE_ERROR_UNCLOSED_TAG,
                                "tag “%s” is not closed: “%s” is missing",
                                p->otag, p->ctag + 1);
          tag_end = close + p->ctag_len;
          break;
        }

      if (sigil == '$' || sigil == '<')
        return parse_error (p, tag, TC_MUSTACHE_ERROR_UNSUPPORTED_TAG,
                            "template inheritance (“%s%c”) is not supported", p->otag, sigil);

      /* Standalone: only blanks between the line's start and the tag, and
       * between the tag and the line's end. */
      if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '!' ||
          sigil == '>' || sigil == '=')
        {
          line_begin = tag;
          while (line_begin > text_start && is_blank (p->src[line_begin - 1]))
            line_begin--;
          line_end = tag_end;
          while (line_end < p->len && is_blank (p->src[line_end]))
            line_end++;

          if (line_begin == 0 || p->src[line_begin - 1] == '\n')
            {
              if (line_end == p->len)
                standalone = TRUE;
              else if (p->src[line_end] == '\n')
                {
                  standalone = TRUE;
                  line_end++;
                }
              else if (p->src[line_end] == '\r' && line_end + 1 < p->len &&
                       p->src[line_end + 1] == '\n')
                {
                  standalone = TRUE;
                  line_end += 2;
                }
            }
        }

      if (standalone)
        {
          emit_text (p, text_start, line_begin);
          text_start = pos = line_end;
        }
      else
        {
          emit_text (p, text_start, tag);
          text_start = pos = tag_end;
        }

      switch (sigil)
        {
        case '#':
        case '^':
          {
            Node *node;
            OpenSection open;

            if (p->open->len >= TC_MUSTACHE_MAX_NESTING)
              return parse_error (p, tag, TC_MUSTACHE_ERROR_TOO_DEEP,
                                  "sections are nested more than %d deep",
                                  TC_MUSTACHE_MAX_NESTING);
            if (standalone)
              p->line_start = FALSE;
            node = push_node (p, sigil == '#' ? NODE_SECTION : NODE_INVERTED);
            if (standalone)
              p->line_start = TRUE;
            open.node = p->nodes->len - 1;
            open.offset = tag;
            g_array_append_val (p->open, open);
            if (!parse_name (p, tag, p->src + content_start, close - content_start, FALSE, node))
              return FALSE;
          }
          break;

        case '/':
          if (!standalone)
            emit_line_start (p);
          if (!close_section (p, tag, p->src + content_start, close - content_start))
            return FALSE;
          break;

        case '!':
          if (!standalone)
            emit_line_start (p);
          break;

        case '=':
          if (!standalone)
            emit_line_start (p);
          if (!set_delimiters (p, tag, p->src + content_start, close - content_start))
            return FALSE;
          break;

        case '>':
          {
            const char *name = p->src + content_start;
            gsize name_len = close - content_start;
            gboolean line_start = p->line_start;
            Node *node;

            trim (&name, &name_len);
            if (name_len == 0)
              return parse_error (p, tag, TC_MUSTACHE_ERROR_BAD_NAME,
                                  "the partial tag has no name");
            if (has_space (name, name_len))
              {
                g_autofree char *written = g_strndup (name, name_len);

                return parse_error (p, tag, TC_MUSTACHE_ERROR_BAD_NAME,
                                    "“%s” is not a valid partial name: a name has no spaces",
                                    written);
              }

            if (standalone)
              p->line_start = FALSE;
            node = push_node (p, NODE_PARTIAL);
            node->name = g_strndup (name, name_len);
            if (standalone)
              {
                node->flags |= NODE_STANDALONE;
                node->text = p->src + line_begin;
                node->len = tag - line_begin;
                p->line_start = line_start;
              }
          }
          break;

        case '{':
        case '&':
          {
            Node *node = push_node (p, NODE_VARIABLE);

            node->flags |= NODE_RAW;
            if (!parse_name (p, tag, p->src + content_start, close - content_start, TRUE, node))
              return FALSE;
          }
          break;

        default:
          {
            Node *node = push_node (p, NODE_VARIABLE);

            if (!parse_name (p, tag, p->src + content_start, close - content_start, TRUE, node))
              return FALSE;
          }
          break;
        }
    }

  if (p->open->len > 0)
    {
      OpenSection *open = &g_array_index (p->open, OpenSection, p->open->len - 1);
      Node *node = &g_array_index (p->nodes, Node, open->node);

      return parse_error (p, open->offset, TC_MUSTACHE_ERROR_UNCLOSED_SECTION,
                          "section “%s” is opened but never closed", node->name);
    }

  return TRUE;
}

static void
template_clear (gpointer data)
{
  TcMustacheTemplate *self = data;

  g_clear_pointer (&self->nodes, g_array_unref);
  g_free (self->source);
}

/**
 * tc_mustache_parse:
 * @source: the template, UTF-8
 * @len: its length in bytes, or -1 when it is nul-terminated
 * @error: a #TC_MUSTACHE_ERROR naming the line and column of the problem
 *
 * Compiles a template.
 *
 * Returns: (transfer full) (nullable): the template, or %NULL on error
 */
TcMustacheTemplate *
tc_mustache_parse (const char  *source,
                   gssize       len,
                   GError     **error)
{
  return tc_mustache_parse_full (source, len, NULL, NULL, error);
}

/**
 * tc_mustache_parse_full:
 * @source: the template, UTF-8
 * @len: its length in bytes, or -1 when it is nul-terminated
 * @error_line: (out) (optional): on error, the 1-based line of the problem
 * @error_column: (out) (optional): on error, its 1-based column, in
 *   characters
 * @error: a #TC_MUSTACHE_ERROR
 *
 * Like tc_mustache_parse(), and tells an editor where to put the cursor.
 *
 * Returns: (transfer full) (nullable): the template, or %NULL on error
 */
TcMustacheTemplate *
tc_mustache_parse_full (const char  *source,
                        gssize       len,
                        guint       *error_line,
                        guint       *error_column,
                        GError     **error)
{
  TcMustacheTemplate *self;
  Parser p = { 0 };
  const char *end = NULL;
  gboolean ok;

  g_return_val_if_fail (source != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len < 0)
    len = strlen (source);

  p.src = source != NULL ? source : "";
  p.len = len;
  p.error_line = error_line;
  p.error_column = error_column;
  p.error = error;

  if (!g_utf8_validate_len (p.src, p.len, &end))
    {
      /* Count the position over the valid part only. */
      p.len = end - p.src;
      parse_error (&p, p.len, TC_MUSTACHE_ERROR_INVALID_UTF8,
                   "the text is not valid UTF-8 (or has a NUL byte)");
      return NULL;
    }

  self = g_atomic_rc_box_new0 (TcMustacheTemplate);
  self->source = g_strndup (p.src, p.len);
  self->source_len = p.len;
  self->nodes = g_array_new (FALSE, TRUE, sizeof (Node));
  g_array_set_clear_func (self->nodes, node_clear);

  p.src = self->source;
  p.nodes = self->nodes;
  p.open = g_array_new (FALSE, FALSE, sizeof (OpenSection));
  memcpy (p.otag, "{{", 3);
  p.otag_len = 2;
  memcpy (p.ctag, "}}}", 4);
  p.ctag_len = 2;
  p.line_start = TRUE;

  ok = parse (&p);
  g_array_unref (p.open);

  if (!ok)
    {
      g_atomic_rc_box_release_full (self, template_clear);
      return NULL;
    }

  return self;
}

/**
 * tc_mustache_template_ref:
 *
 * Returns: (transfer full): @self
 */
TcMustacheTemplate *
tc_mustache_template_ref (TcMustacheTemplate *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
tc_mustache_template_unref (TcMustacheTemplate *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, template_clear);
}

/**
 * tc_mustache_template_get_source:
 *
 * Returns: (transfer none): the text the template was parsed from
 */
const char *
tc_mustache_template_get_source (TcMustacheTemplate *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->source;
}

static char **
collect_names (TcMustacheTemplate *self,
               gboolean            partials)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *names = g_ptr_array_new ();

  for (guint i = 0; i < self->nodes->len; i++)
    {
      Node *node = &g_array_index (self->nodes, Node, i);
      gboolean wanted;

      if (partials)
        wanted = node->type == NODE_PARTIAL;
      else
        wanted = (node->type == NODE_VARIABLE || node->type == NODE_SECTION ||
                  node->type == NODE_INVERTED) && node->parts != NULL;

      if (wanted && g_hash_table_add (seen, node->name))
        g_ptr_array_add (names, g_strdup (node->name));
    }
  g_ptr_array_add (names, NULL);

  return (char **) g_ptr_array_free (names, FALSE);
}

/**
 * tc_mustache_template_dup_variables:
 *
 * The names used by the variable, section and inverted-section tags, as
 * written ("event.cart_url"), each once, in order of first appearance;
 * `{{.}}` is left out. Names inside a section may be relative to the
 * section's item. Names used only in partials are not included.
 *
 * Returns: (transfer full): a %NULL-terminated array
 */
char **
tc_mustache_template_dup_variables (TcMustacheTemplate *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return collect_names (self, FALSE);
}

/**
 * tc_mustache_template_dup_partials:
 *
 * The names of the partials the template includes, each once, in order.
 *
 * Returns: (transfer full): a %NULL-terminated array
 */
char **
tc_mustache_template_dup_partials (TcMustacheTemplate *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return collect_names (self, TRUE);
}

/* Partials */

/**
 * tc_mustache_partials_new:
 * @sources: (nullable): partial name → template source (strings; other
 *   members are ignored)
 *
 * A set of partials, compiled on first use and cached; safe to use from
 * several threads at once.
 *
 * Returns: (transfer full): the partials
 */
TcMustachePartials *
tc_mustache_partials_new (JsonObject *sources)
{
  TcMustachePartials *self = g_atomic_rc_box_new0 (TcMustachePartials);

  g_mutex_init (&self->mutex);
  if (sources != NULL)
    self->sources = json_object_ref (sources);
  self->added = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->compiled = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) tc_mustache_template_unref);

  return self;
}

/**
 * tc_mustache_partials_ref:
 *
 * Returns: (transfer full): @self
 */
TcMustachePartials *
tc_mustache_partials_ref (TcMustachePartials *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

static void
partials_clear (gpointer data)
{
  TcMustachePartials *self = data;

  g_clear_pointer (&self->sources, json_object_unref);
  g_clear_pointer (&self->added, g_hash_table_unref);
  g_clear_pointer (&self->compiled, g_hash_table_unref);
  g_mutex_clear (&self->mutex);
}

void
tc_mustache_partials_unref (TcMustachePartials *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, partials_clear);
}

/**
 * tc_mustache_partials_add:
 * @name: the partial's name, as in `{{>name}}`
 * @source: its template source
 *
 * Adds a partial, or replaces one (a name added here wins over the same
 * name in the object given to tc_mustache_partials_new()).
 */
void
tc_mustache_partials_add (TcMustachePartials *self,
                          const char         *name,
                          const char         *source)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (source != NULL);

  g_mutex_lock (&self->mutex);
  g_hash_table_replace (self->added, g_strdup (name), g_strdup (source));
  g_hash_table_remove (self->compiled, name);
  g_mutex_unlock (&self->mutex);
}

/**
 * tc_mustache_partials_lookup:
 * @name: the partial's name
 * @error: a #TC_MUSTACHE_ERROR_PARTIAL when it does not parse
 *
 * Returns: (transfer full) (nullable): the compiled partial, or %NULL when
 *   there is none by that name (without an error) or it does not parse
 */
TcMustacheTemplate *
tc_mustache_partials_lookup (TcMustachePartials  *self,
                             const char          *name,
                             GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  TcMustacheTemplate *tpl;
  const char *source = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  g_mutex_lock (&self->mutex);

  tpl = g_hash_table_lookup (self->compiled, name);
  if (tpl != NULL)
    {
      tpl = tc_mustache_template_ref (tpl);
      g_mutex_unlock (&self->mutex);
      return tpl;
    }

  source = g_hash_table_lookup (self->added, name);
  if (source == NULL && self->sources != NULL)
    {
      JsonNode *member = json_object_get_member (self->sources, name);

      if (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
          json_node_get_value_type (member) == G_TYPE_STRING)
        source = json_node_get_string (member);
    }

  if (source != NULL)
    {
      tpl = tc_mustache_parse (source, -1, &local_error);
      if (tpl != NULL)
        g_hash_table_insert (self->compiled, g_strdup (name), tc_mustache_template_ref (tpl));
    }

  g_mutex_unlock (&self->mutex);

  if (local_error != NULL)
    g_set_error (error, TC_MUSTACHE_ERROR, TC_MUSTACHE_ERROR_PARTIAL,
                 "partial “%s”: %s", name, local_error->message);

  return tpl;
}

/* Escaping */

/**
 * tc_mustache_escape_html:
 *
 * A #TcMustacheEscapeFunc: `& " < >` as the Mustache specification wants.
 */
void
tc_mustache_escape_html (GString    *out,
                         const char *text,
                         gsize       len,
                         gpointer    user_data)
{
  gsize run = 0;

  for (gsize i = 0; i < len; i++)
    {
      const char *entity;

      switch (text[i])
        {
        case '&': entity = "&amp;"; break;
        case '"': entity = "&quot;"; break;
        case '<': entity = "&lt;"; break;
        case '>': entity = "&gt;"; break;
        default: continue;
        }
      g_string_append_len (out, text + run, i - run);
      g_string_append (out, entity);
      run = i + 1;
    }
  g_string_append_len (out, text + run, len - run);
}

/**
 * tc_mustache_escape_none:
 *
 * A #TcMustacheEscapeFunc that appends the text as it is.
 */
void
tc_mustache_escape_none (GString    *out,
                         const char *text,
                         gsize       len,
                         gpointer    user_data)
{
  g_string_append_len (out, text, len);
}

const char *
tc_mustache_escape_to_string (TcMustacheEscape escape)
{
  switch (escape)
    {
    case TC_MUSTACHE_ESCAPE_HTML:
      return "html";
    case TC_MUSTACHE_ESCAPE_NONE:
      return "none";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
tc_mustache_escape_from_string (const char       *str,
                                TcMustacheEscape *escape)
{
  g_return_val_if_fail (escape != NULL, FALSE);

  if (g_strcmp0 (str, "html") == 0)
    *escape = TC_MUSTACHE_ESCAPE_HTML;
  else if (g_strcmp0 (str, "none") == 0)
    *escape = TC_MUSTACHE_ESCAPE_NONE;
  else
    return FALSE;

  return TRUE;
}

/* Rendering */

typedef struct
{
  TcMustachePartials   *partials;
  TcMustacheEscapeFunc  escape;
  gpointer              escape_data;
  GString              *out;
  gsize                 out_start;
  GPtrArray            *missing;
  GHashTable           *missing_set;   /* NULL until a name is missing */
  GString              *indents;       /* NULL until a partial is indented */
  gsize                 indent_start;  /* the current indentation, in @indents */
  gsize                 indent_len;
  guint                 partial_depth;
  guint                 depth;
  guint                 nesting;
  gsize                 steps;
  GError              **error;
  JsonNode             *stack[MAX_CONTEXT_DEPTH + 1];
} RenderState;

static JsonNode *
lookup (RenderState *st,
        const Node  *node)
{
  JsonNode *value = NULL;

  if (node->parts == NULL)
    return st->depth > 0 ? st->stack[st->depth - 1] : NULL;

  for (guint i = st->depth; i > 0 && value == NULL; i--)
    {
      JsonNode *context = st->stack[i - 1];

      if (JSON_NODE_HOLDS_OBJECT (context))
        value = json_object_get_member (json_node_get_object (context), node->parts[0]);
    }

  for (guint k = 1; value != NULL && node->parts[k] != NULL; k++)
    {
      if (!JSON_NODE_HOLDS_OBJECT (value))
        return NULL;
      value = json_object_get_member (json_node_get_object (value), node->parts[k]);
    }

  return value;
}

static gboolean
is_truthy (JsonNode *value)
{
  if (value == NULL)
    return FALSE;

  switch (json_node_get_node_type (value))
    {
    case JSON_NODE_NULL:
      return FALSE;
    case JSON_NODE_ARRAY:
      return json_array_get_length (json_node_get_array (value)) > 0;
    case JSON_NODE_OBJECT:
      return TRUE;
    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (value);

        if (type == G_TYPE_BOOLEAN)
          return json_node_get_boolean (value);
        if (type == G_TYPE_STRING)
          return *json_node_get_string (value) != '\0';
        return TRUE;
      }
    default:
      return FALSE;
    }
}

static const char * const double_formats[] = { "%.15g", "%.16g", "%.17g" };

static void
append_text (RenderState *st,
             const char  *text,
             gsize        len,
             gboolean     raw)
{
  if (raw || st->escape == tc_mustache_escape_none)
    g_string_append_len (st->out, text, len);
  else
    st->escape (st->out, text, len, st->escape_data);
}

/* Returns FALSE when nothing was appended (null, "", an object, an array
 * without scalars): then the fallback is used, or the name reported. */
static gboolean
append_value (RenderState *st,
              JsonNode    *value,
              gboolean     raw)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  switch (json_node_get_node_type (value))
    {
    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (value);

        if (type == G_TYPE_STRING)
          {
            const char *str = json_node_get_string (value);

            if (*str == '\0')
              return FALSE;
            append_text (st, str, strlen (str), raw);
          }
        else if (type == G_TYPE_INT64)
          {
            g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, json_node_get_int (value));
            append_text (st, buf, strlen (buf), raw);
          }
        else if (type == G_TYPE_DOUBLE)
          {
            double d = json_node_get_double (value);

            /* The shortest form that reads back as the same number, so
             * 1.21 stays "1.21" and 3.0 is "3". */
            for (guint i = 0; i < G_N_ELEMENTS (double_formats); i++)
              {
                g_ascii_formatd (buf, sizeof buf, double_formats[i], d);
                if (g_ascii_strtod (buf, NULL) == d)
                  break;
              }
            append_text (st, buf, strlen (buf), raw);
          }
        else if (type == G_TYPE_BOOLEAN)
          {
            const char *str = json_node_get_boolean (value) ? "true" : "false";

            append_text (st, str, strlen (str), raw);
          }
        else
          return FALSE;
      }
      return TRUE;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (value);
        guint n = json_array_get_length (array);
        gboolean any = FALSE;

        for (guint i = 0; i < n; i++)
          {
            JsonNode *element = json_array_get_element (array, i);
            gsize before = st->out->len;

            if (!JSON_NODE_HOLDS_VALUE (element))
              continue;
            if (any)
              g_string_append (st->out, ", ");
            if (append_value (st, element, raw))
              any = TRUE;
            else
              g_string_truncate (st->out, before);
          }
        return any;
      }

    case JSON_NODE_OBJECT:
    case JSON_NODE_NULL:
    default:
      return FALSE;
    }
}

/* The set of reported names borrows the strings of @missing, and is made
 * on the first report only: a render with nothing missing allocates
 * nothing. */
static void
report_missing (RenderState *st,
                const char  *name,
                gboolean     partial)
{
  g_autofree char *partial_name = NULL;
  char *copy;

  if (st->missing == NULL)
    return;

  if (st->missing_set == NULL)
    {
      st->missing_set = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < st->missing->len; i++)
        g_hash_table_add (st->missing_set, g_ptr_array_index (st->missing, i));
    }

  if (partial)
    name = partial_name = g_strconcat (">", name, NULL);
  if (g_hash_table_contains (st->missing_set, name))
    return;

  copy = partial_name != NULL ? g_steal_pointer (&partial_name) : g_strdup (name);
  g_ptr_array_add (st->missing, copy);
  g_hash_table_add (st->missing_set, copy);
}

static gboolean
push_context (RenderState *st,
              JsonNode    *value)
{
  if (st->depth > MAX_CONTEXT_DEPTH)
    {
      g_set_error (st->error, TC_MUSTACHE_ERROR, TC_MUSTACHE_ERROR_TOO_DEEP,
                   "sections are nested more than %d deep", MAX_CONTEXT_DEPTH);
      return FALSE;
    }
  st->stack[st->depth++] = value;
  return TRUE;
}

static gboolean render_range (RenderState              *st,
                              const TcMustacheTemplate *tpl,
                              guint                     from,
                              guint                     to);

static gboolean
render_partial (RenderState *st,
                const Node  *node)
{
  g_autoptr(TcMustacheTemplate) partial = NULL;
  gsize saved_start = st->indent_start;
  gsize saved_len = st->indent_len;
  gsize saved_used = st->indents != NULL ? st->indents->len : 0;
  gboolean ok;

  if (st->partials != NULL)
    {
      GError *local_error = NULL;

      partial = tc_mustache_partials_lookup (st->partials, node->name, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (st->error, local_error);
          return FALSE;
        }
    }

  if (partial == NULL)
    {
      report_missing (st, node->name, TRUE);
      return TRUE;
    }

  if (st->partial_depth >= TC_MUSTACHE_MAX_PARTIAL_DEPTH)
    {
      g_set_error (st->error, TC_MUSTACHE_ERROR, TC_MUSTACHE_ERROR_TOO_DEEP,
                   "partials are nested more than %d deep (“%s”)",
                   TC_MUSTACHE_MAX_PARTIAL_DEPTH, node->name);
      return FALSE;
    }

  /* A standalone partial adds its own indentation to the current one; an
   * inline partial is not indented at all. */
  if ((node->flags & NODE_STANDALONE) == 0)
    st->indent_len = 0;
  else if (node->len > 0)
    {
      if (st->indents == NULL)
        st->indents = g_string_new (NULL);
      st->indent_start = st->indents->len;
      g_string_append_len (st->indents, st->indents->str + saved_start, saved_len);
      g_string_append_len (st->indents, node->text, node->len);
      st->indent_len = saved_len + node->len;
    }

  st->partial_depth++;
  ok = render_range (st, partial, 0, partial->nodes->len);
  st->partial_depth--;

  st->indent_start = saved_start;
  st->indent_len = saved_len;
  if (st->indents != NULL)
    g_string_truncate (st->indents, saved_used);

  return ok;
}

static gboolean
render_range (RenderState              *st,
              const TcMustacheTemplate *tpl,
              guint                     from,
              guint                     to)
{
  const Node *nodes = (const Node *) (gpointer) tpl->nodes->data;
  guint i = from;

  /* Sections, inverted sections and partials nest through this function:
   * bound the recursion (inverted sections push no context, so the
   * context stack's own limit is not enough). */
  if (st->nesting >= MAX_CONTEXT_DEPTH)
    {
      g_set_error (st->error, TC_MUSTACHE_ERROR, TC_MUSTACHE_ERROR_TOO_DEEP,
                   "sections and partials are nested more than %d deep", MAX_CONTEXT_DEPTH);
      return FALSE;
    }
  st->nesting++;

  while (i < to)
    {
      const Node *node = &nodes[i];
      JsonNode *value;

      if (G_UNLIKELY (++st->steps > TC_MUSTACHE_MAX_STEPS ||
                      st->out->len - st->out_start > TC_MUSTACHE_MAX_OUTPUT))
        {
          g_set_error (st->error, TC_MUSTACHE_ERROR, TC_MUSTACHE_ERROR_TOO_LARGE,
                       "the message is too large: over %d bytes or %d steps",
                       TC_MUSTACHE_MAX_OUTPUT, TC_MUSTACHE_MAX_STEPS);
          return FALSE;
        }

      if ((node->flags & NODE_LINE_START) && st->indent_len > 0)
        g_string_append_len (st->out, st->indents->str + st->indent_start, st->indent_len);

      switch ((NodeType) node->type)
        {
        case NODE_TEXT:
          g_string_append_len (st->out, node->text, node->len);
          i++;
          break;

        case NODE_VARIABLE:
          value = lookup (st, node);
          if (value == NULL || !append_value (st, value, (node->flags & NODE_RAW) != 0))
            {
              if (node->flags & NODE_FALLBACK)
                g_string_append_len (st->out, node->fallback, node->fallback_len);
              else
                report_missing (st, node->name, FALSE);
            }
          i++;
          break;

        case NODE_SECTION:
          value = lookup (st, node);
          if (value != NULL && JSON_NODE_HOLDS_ARRAY (value))
            {
              JsonArray *array = json_node_get_array (value);
              guint n = json_array_get_length (array);

              for (guint k = 0; k < n; k++)
                {
                  if (!push_context (st, json_array_get_element (array, k)))
                    return FALSE;
                  if (!render_range (st, tpl, i + 1, node->end))
                    return FALSE;
                  st->depth--;
                }
            }
          else if (is_truthy (value))
            {
              if (!push_context (st, value))
                return FALSE;
              if (!render_range (st, tpl, i + 1, node->end))
                return FALSE;
              st->depth--;
            }
          i = node->end;
          break;

        case NODE_INVERTED:
          value = lookup (st, node);
          if (!is_truthy (value) && !render_range (st, tpl, i + 1, node->end))
            return FALSE;
          i = node->end;
          break;

        case NODE_PARTIAL:
          if (!render_partial (st, node))
            return FALSE;
          i++;
          break;

        default:
          g_assert_not_reached ();
        }
    }

  st->nesting--;

  return TRUE;
}

/**
 * tc_mustache_render_to_full:
 * @self: a template
 * @data: (nullable): the data: the bottom of the context stack
 * @partials: (nullable): the partials `{{>name}}` can include
 * @escape_func: how `{{name}}` escapes values
 * @escape_data: data for @escape_func
 * @out: where the output is appended (it is not cleared first)
 * @missing: (nullable) (element-type utf8): where the names of missing
 *   values are added (g_strdup()ed, so the array should free with g_free()),
 *   each once: names already in the array are not added again, so one
 *   array can gather a whole campaign's
 * @error: a #TC_MUSTACHE_ERROR (a partial that does not parse, a limit)
 *
 * Renders @self, appending to @out. On error, @out may hold part of the
 * output.
 *
 * Returns: %TRUE on success
 */
gboolean
tc_mustache_render_to_full (TcMustacheTemplate    *self,
                            JsonNode              *data,
                            TcMustachePartials    *partials,
                            TcMustacheEscapeFunc   escape_func,
                            gpointer               escape_data,
                            GString               *out,
                            GPtrArray             *missing,
                            GError               **error)
{
  RenderState st;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (escape_func != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Not a designated initializer: that would clear the whole stack. */
  st.partials = partials;
  st.escape = escape_func;
  st.escape_data = escape_data;
  st.out = out;
  st.out_start = out->len;
  st.missing = missing;
  st.missing_set = NULL;
  st.indents = NULL;
  st.indent_start = 0;
  st.indent_len = 0;
  st.partial_depth = 0;
  st.depth = 0;
  st.nesting = 0;
  st.steps = 0;
  st.error = error;
  if (data != NULL)
    st.stack[st.depth++] = data;

  ok = render_range (&st, self, 0, self->nodes->len);
  if (ok && out->len - st.out_start > TC_MUSTACHE_MAX_OUTPUT)
    {
      g_set_error (error, TC_MUSTACHE_ERROR, TC_MUSTACHE_ERROR_TOO_LARGE,
                   "the message is too large: over %d bytes", TC_MUSTACHE_MAX_OUTPUT);
      ok = FALSE;
    }

  if (st.indents != NULL)
    g_string_free (st.indents, TRUE);
  g_clear_pointer (&st.missing_set, g_hash_table_unref);

  return ok;
}

/**
 * tc_mustache_render_to:
 * @escape: how `{{name}}` escapes values
 *
 * Renders @self, appending to @out: reuse one #GString across renders
 * (g_string_truncate() it to 0) and nothing is allocated per render unless
 * a value is missing. See tc_mustache_render_to_full().
 *
 * Returns: %TRUE on success
 */
gboolean
tc_mustache_render_to (TcMustacheTemplate  *self,
                       JsonNode            *data,
                       TcMustachePartials  *partials,
                       TcMustacheEscape     escape,
                       GString             *out,
                       GPtrArray           *missing,
                       GError             **error)
{
  TcMustacheEscapeFunc func;

  switch (escape)
    {
    case TC_MUSTACHE_ESCAPE_HTML:
      func = tc_mustache_escape_html;
      break;
    case TC_MUSTACHE_ESCAPE_NONE:
      func = tc_mustache_escape_none;
      break;
    default:
      g_return_val_if_reached (FALSE);
    }

  return tc_mustache_render_to_full (self, data, partials, func, NULL, out, missing, error);
}

/**
 * tc_mustache_render:
 *
 * Renders @self into a new string. See tc_mustache_render_to_full().
 *
 * Returns: (transfer full) (nullable): the text, or %NULL on error
 */
char *
tc_mustache_render (TcMustacheTemplate  *self,
                    JsonNode            *data,
                    TcMustachePartials  *partials,
                    TcMustacheEscape     escape,
                    GPtrArray           *missing,
                    GError             **error)
{
  GString *out = g_string_new (NULL);

  if (!tc_mustache_render_to (self, data, partials, escape, out, missing, error))
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

/* Variables */

static void
set_string_or_null (JsonObject *object,
                    const char *name,
                    const char *value)
{
  if (value != NULL && *value != '\0')
    json_object_set_string_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

/**
 * tc_mustache_vars_new_for_contact:
 * @contact: the recipient
 * @brand: (nullable): the sender's brand name
 * @event: (nullable): the triggering event's properties (journeys)
 *
 * The data a message template is rendered against:
 * `first_name`, `last_name`, `phone`, `email`, `language`, `country`
 * (strings, or null when empty), `tags` (an array of strings), `brand`
 * (null when not given), `event` (the event's object, or null), every
 * custom attribute under `attributes`, and each custom attribute also as a
 * top-level key unless its name is one of the keys above (then it is only
 * under `attributes`).
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
tc_mustache_vars_new_for_contact (TcContact  *contact,
                                  const char *brand,
                                  JsonObject *event)
{
  g_autoptr(JsonObject) vars = json_object_new ();
  g_autoptr(GList) keys = NULL;
  JsonObject *attributes = json_object_new ();
  JsonArray *tags = json_array_new ();
  const char * const *contact_tags;
  GHashTable *attrs;
  JsonNode *node;

  g_return_val_if_fail (TC_IS_CONTACT (contact), NULL);

  set_string_or_null (vars, "first_name", tc_contact_get_first_name (contact));
  set_string_or_null (vars, "last_name", tc_contact_get_last_name (contact));
  set_string_or_null (vars, "phone", tc_contact_get_phone (contact));
  set_string_or_null (vars, "email", tc_contact_get_email (contact));
  set_string_or_null (vars, "language", tc_contact_get_language (contact));
  set_string_or_null (vars, "country", tc_contact_get_country (contact));

  contact_tags = tc_contact_get_tags (contact);
  for (guint i = 0; contact_tags != NULL && contact_tags[i] != NULL; i++)
    json_array_add_string_element (tags, contact_tags[i]);
  json_object_set_array_member (vars, "tags", tags);

  set_string_or_null (vars, "brand", brand);
  if (event != NULL)
    json_object_set_object_member (vars, "event", json_object_ref (event));
  else
    json_object_set_null_member (vars, "event");

  /* Sorted, so that the output does not depend on hash order. */
  attrs = tc_contact_get_attributes (contact);
  if (attrs != NULL)
    keys = g_list_sort (g_hash_table_get_keys (attrs), (GCompareFunc) strcmp);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      const char *value = g_hash_table_lookup (attrs, l->data);

      json_object_set_string_member (attributes, l->data, value != NULL ? value : "");
    }
  for (GList *l = keys; l != NULL; l = l->next)
    {
      const char *value = g_hash_table_lookup (attrs, l->data);

      if (!json_object_has_member (vars, l->data) && strcmp (l->data, "attributes") != 0)
        json_object_set_string_member (vars, l->data, value != NULL ? value : "");
    }
  json_object_set_object_member (vars, "attributes", attributes);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, vars);

  return node;
}
