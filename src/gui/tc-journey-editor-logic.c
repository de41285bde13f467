/* tc-journey-editor-logic.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The undo model: every edit is a step holding a deep copy of the graph
 * before and after it (tc_journey_dup), and undo / redo restore one of
 * them through the journey's own editing API. Restoring a whole snapshot
 * instead of replaying an inverse per kind of edit means the exact state
 * comes back — node order, "ends" marks, configs, the edges a delete took
 * with it — with one routine that cannot drift from the editing API when
 * the model gains a feature. A 200-node journey copies in well under a
 * millisecond, and the history is capped.
 */

#define G_LOG_DOMAIN "tc-journey-editor-logic"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "tc-journey-editor-logic.h"

#define MAX_STEPS 200
#define GRID      8.0

typedef struct
{
  char      *label;
  char      *merge_key;
  TcJourney *before;
  TcJourney *after;
  guint64    serial;
} Step;

typedef struct
{
  char   *id;
  double  x;
  double  y;
} MoveOrigin;

struct _TcJourneyEditorLogic
{
  GObject                  parent_instance;

  TcJourney               *journey;
  GPtrArray               *steps;        /* (element-type Step) */
  guint                    n_done;       /* steps[0 .. n_done) are applied */
  guint64                  next_serial;
  guint64                  saved_serial; /* the serial of the top step when saved */
  TcJourney               *pending;      /* the graph before the edit under way */
  GArray                  *move_origins; /* (element-type MoveOrigin) during a drag */

  GHashTable              *selection;    /* id → id */

  GPtrArray               *problems;     /* (element-type TcJourneyProblem) */
  TcJourneyTemplateLookup  lookup;
  gpointer                 lookup_data;
  GDestroyNotify           lookup_destroy;

  GHashTable              *stats;        /* node id → TcJourneyNodeStats (a copy), or NULL */

  char                    *paste_source; /* the text last copied or pasted */
  guint                    n_pastes;     /* pastes of it in a row */

  guint                    restoring : 1;
  guint                    problems_dirty : 1;
};

G_DEFINE_FINAL_TYPE (TcJourneyEditorLogic, tc_journey_editor_logic, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_JOURNEY,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  PROP_UNDO_LABEL,
  PROP_REDO_LABEL,
  PROP_MODIFIED,
  PROP_N_SELECTED,
  N_PROPS
};

enum {
  SELECTION_CHANGED,
  PROBLEMS_CHANGED,
  STATS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Geometry */

gboolean
tc_journey_rect_intersects (const TcJourneyRect *a,
                            const TcJourneyRect *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->x < b->x + b->width && b->x < a->x + a->width &&
         a->y < b->y + b->height && b->y < a->y + a->height;
}

gboolean
tc_journey_rect_contains (const TcJourneyRect *rect,
                          double               x,
                          double               y)
{
  g_return_val_if_fail (rect != NULL, FALSE);

  return x >= rect->x && x <= rect->x + rect->width &&
         y >= rect->y && y <= rect->y + rect->height;
}

/* The rows of ports under a card's header: none when its only output is
 * "next", which then sits level with the title like the input. */
static guint
count_port_rows (const TcJourneyNode *node)
{
  g_auto(GStrv) ports = tc_journey_node_dup_ports (node);
  guint n = ports != NULL ? g_strv_length (ports) : 0;

  if (n == 1 && strcmp (ports[0], "next") == 0)
    return 0;
  return n;
}

void
tc_journey_node_get_rect (const TcJourneyNode *node,
                          TcJourneyRect       *rect)
{
  g_return_if_fail (node != NULL);
  g_return_if_fail (rect != NULL);

  rect->x = node->x;
  rect->y = node->y;
  rect->width = TC_JOURNEY_CARD_WIDTH;
  rect->height = TC_JOURNEY_CARD_HEADER + count_port_rows (node) * TC_JOURNEY_CARD_PORT_HEIGHT +
                 TC_JOURNEY_CARD_PADDING;
}

gboolean
tc_journey_node_get_port_position (const TcJourneyNode *node,
                                   const char          *port,
                                   double              *x,
                                   double              *y)
{
  g_auto(GStrv) ports = NULL;

  g_return_val_if_fail (node != NULL, FALSE);
  g_return_val_if_fail (port != NULL, FALSE);

  ports = tc_journey_node_dup_ports (node);
  for (guint i = 0; ports != NULL && ports[i] != NULL; i++)
    {
      if (strcmp (ports[i], port) != 0)
        continue;
      if (x != NULL)
        *x = node->x + TC_JOURNEY_CARD_WIDTH;
      if (y != NULL && count_port_rows (node) == 0)
        *y = node->y + TC_JOURNEY_CARD_HEADER / 2;
      else if (y != NULL)
        *y = node->y + TC_JOURNEY_CARD_HEADER + (i + 0.5) * TC_JOURNEY_CARD_PORT_HEIGHT;
      return TRUE;
    }

  return FALSE;
}

void
tc_journey_node_get_input_position (const TcJourneyNode *node,
                                    double              *x,
                                    double              *y)
{
  g_return_if_fail (node != NULL);

  if (x != NULL)
    *x = node->x;
  if (y != NULL)
    *y = node->y + TC_JOURNEY_CARD_HEADER / 2;
}

char *
tc_journey_port_dup_title (const TcJourneyNode *node,
                           const char          *port)
{
  static const struct { const char *port; const char *title; } titles[] = {
    { "next", N_("Next") },
    { "happened", N_("Happened") },
    { "timed_out", N_("Timed out") },
    { "sent", N_("Sent") },
    { "skipped", N_("Skipped") },
    { "yes", N_("Yes") },
    { "no", N_("No") },
  };

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (port != NULL, NULL);

  if (node->kind == TC_JOURNEY_NODE_SPLIT &&
      json_object_has_member (node->config, "branches"))
    {
      JsonArray *branches = json_object_get_array_member (node->config, "branches");

      for (guint i = 0; i < json_array_get_length (branches); i++)
        {
          JsonObject *branch = json_array_get_object_element (branches, i);

          if (g_strcmp0 (json_object_get_string_member (branch, "name"), port) == 0)
            /* TRANSLATORS: a branch of a random split and its share, "A · 50 %". */
            return g_strdup_printf (_("%s · %g %%"), port,
                                    json_object_get_double_member (branch, "percent"));
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    if (strcmp (titles[i].port, port) == 0)
      return g_strdup (_(titles[i].title));

  return g_strdup (port);
}

const char *
tc_journey_node_kind_get_title (TcJourneyNodeKind kind)
{
  switch (kind)
    {
    case TC_JOURNEY_NODE_TRIGGER: return _("Trigger");
    case TC_JOURNEY_NODE_WAIT: return _("Wait");
    case TC_JOURNEY_NODE_WAIT_FOR_EVENT: return _("Wait for Event");
    case TC_JOURNEY_NODE_SEND_SMS: return _("Send SMS");
    case TC_JOURNEY_NODE_SEND_WHATSAPP: return _("Send WhatsApp");
    case TC_JOURNEY_NODE_SEND_PREFERRED: return _("Send on Preferred Channel");
    case TC_JOURNEY_NODE_BRANCH: return _("Branch");
    case TC_JOURNEY_NODE_SPLIT: return _("A/B Split");
    case TC_JOURNEY_NODE_UPDATE_CONTACT: return _("Update Contact");
    case TC_JOURNEY_NODE_EXIT: return _("Exit");
    default: g_return_val_if_reached ("");
    }
}

const char *
tc_journey_node_kind_get_icon_name (TcJourneyNodeKind kind)
{
  switch (kind)
    {
    case TC_JOURNEY_NODE_TRIGGER: return "media-playback-start-symbolic";
    case TC_JOURNEY_NODE_WAIT: return "alarm-symbolic";
    case TC_JOURNEY_NODE_WAIT_FOR_EVENT: return "document-open-recent-symbolic";
    case TC_JOURNEY_NODE_SEND_SMS: return "mail-send-symbolic";
    case TC_JOURNEY_NODE_SEND_WHATSAPP: return "user-available-symbolic";
    case TC_JOURNEY_NODE_SEND_PREFERRED: return "emblem-favorite-symbolic";
    case TC_JOURNEY_NODE_BRANCH: return "view-dual-symbolic";
    case TC_JOURNEY_NODE_SPLIT: return "media-playlist-shuffle-symbolic";
    case TC_JOURNEY_NODE_UPDATE_CONTACT: return "contact-new-symbolic";
    case TC_JOURNEY_NODE_EXIT: return "process-stop-symbolic";
    default: g_return_val_if_reached ("image-missing-symbolic");
    }
}

static char *
format_duration (gint64 seconds)
{
  if (seconds % 86400 == 0)
    return g_strdup_printf (ngettext ("%d day", "%d days", (gulong) (seconds / 86400)),
                            (int) (seconds / 86400));
  if (seconds % 3600 == 0)
    return g_strdup_printf (ngettext ("%d hour", "%d hours", (gulong) (seconds / 3600)),
                            (int) (seconds / 3600));
  if (seconds % 60 == 0)
    return g_strdup_printf (ngettext ("%d minute", "%d minutes", (gulong) (seconds / 60)),
                            (int) (seconds / 60));
  return g_strdup_printf (ngettext ("%d second", "%d seconds", (gulong) seconds), (int) seconds);
}

static const char *
member_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

char *
tc_journey_node_dup_summary (const TcJourneyNode *node)
{
  JsonObject *config;

  g_return_val_if_fail (node != NULL, NULL);

  config = node->config;
  switch (node->kind)
    {
    case TC_JOURNEY_NODE_TRIGGER:
      return g_strdup (member_string (config, "event"));
    case TC_JOURNEY_NODE_WAIT:
      if (json_object_has_member (config, "duration"))
        return format_duration (json_object_get_int_member (config, "duration"));
      {
        JsonObject *until = json_object_get_object_member (config, "until");

        if (member_string (until, "to") != NULL)
          /* TRANSLATORS: a wait for a time window, "09:00–17:00". */
          return g_strdup_printf (_("%s–%s"), member_string (until, "from"),
                                  member_string (until, "to"));
        /* TRANSLATORS: a wait until a time of day, "until 09:00". */
        return g_strdup_printf (_("until %s"), member_string (until, "from"));
      }
    case TC_JOURNEY_NODE_WAIT_FOR_EVENT:
      {
        g_autofree char *within = format_duration (json_object_get_int_member (config, "within"));

        /* TRANSLATORS: an event and how long to wait for it, "order_placed, 1 day". */
        return g_strdup_printf (_("%s, %s"), member_string (config, "event"), within);
      }
    case TC_JOURNEY_NODE_SEND_SMS:
    case TC_JOURNEY_NODE_SEND_WHATSAPP:
      {
        const char *template = member_string (config, "template");

        if (template == NULL || template[0] == '\0')
          return g_strdup (_("No template yet"));
        if (json_object_has_member (config, "fallback"))
          /* TRANSLATORS: a template name, and a fallback on the other channel. */
          return g_strdup_printf (_("%s + fallback"), template);
        return g_strdup (template);
      }
    case TC_JOURNEY_NODE_SEND_PREFERRED:
      return g_strdup (_("SMS or WhatsApp"));
    case TC_JOURNEY_NODE_BRANCH:
      {
        JsonObject *condition = json_object_get_object_member (config, "condition");

        if (member_string (condition, "event") != NULL)
          /* TRANSLATORS: a branch on an event since the contact entered. */
          return g_strdup_printf (_("%s since entry?"), member_string (condition, "event"));
        if (member_string (condition, "tag") != NULL)
          return g_strdup_printf (_("tag %s?"), member_string (condition, "tag"));
        if (member_string (condition, "last_message") != NULL)
          return g_strdup_printf (_("last message %s?"), member_string (condition, "last_message"));
        if (member_string (condition, "field") != NULL)
          return g_strdup_printf (_("%s %s?"), member_string (condition, "field"),
                                  member_string (condition, "op"));
        if (g_strcmp0 (member_string (condition, "consent"), "sms") == 0)
          return g_strdup (_("SMS consent?"));
        if (g_strcmp0 (member_string (condition, "consent"), "whatsapp") == 0)
          return g_strdup (_("WhatsApp consent?"));
        return g_strdup (_("consent?"));
      }
    case TC_JOURNEY_NODE_SPLIT:
      return g_strdup (_("at random"));
    case TC_JOURNEY_NODE_UPDATE_CONTACT:
      if (g_strcmp0 (member_string (config, "action"), "set_attribute") == 0)
        return g_strdup_printf ("%s = %s", member_string (config, "attribute"),
                                member_string (config, "value"));
      /* TRANSLATORS: "+ vip" adds the tag vip, "− vip" removes it. */
      return g_strdup_printf (g_strcmp0 (member_string (config, "action"), "remove_tag") == 0
                                ? _("− %s") : _("+ %s"),
                              member_string (config, "tag"));
    case TC_JOURNEY_NODE_EXIT:
    default:
      return g_strdup (_("the end"));
    }
}

const char *
tc_journey_node_get_display_label (const TcJourneyNode *node)
{
  g_return_val_if_fail (node != NULL, "");

  if (node->label != NULL && node->label[0] != '\0')
    return node->label;
  return tc_journey_node_kind_get_title (node->kind);
}

gboolean
tc_journey_get_bounds (TcJourney     *journey,
                       TcJourneyRect *bounds)
{
  double x1 = G_MAXDOUBLE, y1 = G_MAXDOUBLE, x2 = -G_MAXDOUBLE, y2 = -G_MAXDOUBLE;
  guint n;

  g_return_val_if_fail (TC_IS_JOURNEY (journey), FALSE);
  g_return_val_if_fail (bounds != NULL, FALSE);

  n = tc_journey_get_n_nodes (journey);
  if (n == 0)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      TcJourneyRect rect;

      tc_journey_node_get_rect (tc_journey_get_node (journey, i), &rect);
      x1 = MIN (x1, rect.x);
      y1 = MIN (y1, rect.y);
      x2 = MAX (x2, rect.x + rect.width);
      y2 = MAX (y2, rect.y + rect.height);
    }

  bounds->x = x1;
  bounds->y = y1;
  bounds->width = x2 - x1;
  bounds->height = y2 - y1;
  return TRUE;
}

void
tc_journey_fit_transform (const TcJourneyRect *bounds,
                          double               view_width,
                          double               view_height,
                          double               margin,
                          double               min_zoom,
                          double               max_zoom,
                          double              *zoom,
                          double              *pan_x,
                          double              *pan_y)
{
  double usable_w, usable_h, z;

  g_return_if_fail (bounds != NULL);
  g_return_if_fail (zoom != NULL && pan_x != NULL && pan_y != NULL);
  g_return_if_fail (min_zoom > 0 && min_zoom <= max_zoom);

  usable_w = MAX (1.0, view_width - 2 * margin);
  usable_h = MAX (1.0, view_height - 2 * margin);
  z = MIN (usable_w / MAX (1.0, bounds->width), usable_h / MAX (1.0, bounds->height));
  z = CLAMP (z, min_zoom, max_zoom);

  *zoom = z;
  *pan_x = view_width / 2 - (bounds->x + bounds->width / 2) * z;
  *pan_y = view_height / 2 - (bounds->y + bounds->height / 2) * z;
}

void
tc_journey_zoom_around (double  factor,
                        double  view_x,
                        double  view_y,
                        double  min_zoom,
                        double  max_zoom,
                        double *zoom,
                        double *pan_x,
                        double *pan_y)
{
  double doc_x, doc_y, z;

  g_return_if_fail (zoom != NULL && pan_x != NULL && pan_y != NULL);
  g_return_if_fail (*zoom > 0);

  doc_x = (view_x - *pan_x) / *zoom;
  doc_y = (view_y - *pan_y) / *zoom;
  z = CLAMP (*zoom * factor, min_zoom, max_zoom);
  *zoom = z;
  *pan_x = view_x - doc_x * z;
  *pan_y = view_y - doc_y * z;
}

/* Steps */

static void
step_free (gpointer data)
{
  Step *step = data;

  g_free (step->label);
  g_free (step->merge_key);
  g_clear_object (&step->before);
  g_clear_object (&step->after);
  g_free (step);
}

static guint64
current_serial (TcJourneyEditorLogic *self)
{
  if (self->n_done == 0)
    return 0;
  return ((Step *) g_ptr_array_index (self->steps, self->n_done - 1))->serial;
}

static void
notify_history (TcJourneyEditorLogic *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNDO_LABEL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REDO_LABEL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

static void
begin_step (TcJourneyEditorLogic *self)
{
  g_assert (self->pending == NULL);
  self->pending = tc_journey_dup (self->journey);
}

static void
commit_step (TcJourneyEditorLogic *self,
             const char           *label,
             const char           *merge_key)
{
  Step *top = NULL;

  g_assert (self->pending != NULL);

  if (self->n_done > 0 && self->n_done == self->steps->len)
    top = g_ptr_array_index (self->steps, self->n_done - 1);

  if (merge_key != NULL && top != NULL && g_strcmp0 (top->merge_key, merge_key) == 0)
    {
      /* One step for the whole run of edits: keep its "before". */
      g_clear_object (&self->pending);
      g_clear_object (&top->after);
      top->after = tc_journey_dup (self->journey);
      top->serial = ++self->next_serial;
    }
  else
    {
      Step *step = g_new0 (Step, 1);

      step->label = g_strdup (label);
      step->merge_key = g_strdup (merge_key);
      step->before = g_steal_pointer (&self->pending);
      step->after = tc_journey_dup (self->journey);
      step->serial = ++self->next_serial;

      if (self->steps->len > self->n_done)
        g_ptr_array_remove_range (self->steps, self->n_done, self->steps->len - self->n_done);
      g_ptr_array_add (self->steps, step);
      if (self->steps->len > MAX_STEPS)
        g_ptr_array_remove_index (self->steps, 0);
      self->n_done = self->steps->len;
    }

  notify_history (self);
}

/* Stops the current run of merged edits (after undo, a selection change…). */
static void
close_merge (TcJourneyEditorLogic *self)
{
  if (self->n_done > 0)
    g_clear_pointer (&((Step *) g_ptr_array_index (self->steps, self->n_done - 1))->merge_key,
                     g_free);
}

static void prune_selection (TcJourneyEditorLogic *self);

/* Makes the journey's graph that of @snapshot, through the editing API. */
static void
restore (TcJourneyEditorLogic *self,
         TcJourney            *snapshot)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  self->restoring = TRUE;

  for (guint i = 0; i < tc_journey_get_n_nodes (self->journey); i++)
    g_ptr_array_add (ids, g_strdup (tc_journey_get_node (self->journey, i)->id));
  for (guint i = 0; i < ids->len; i++)
    tc_journey_remove_node (self->journey, g_ptr_array_index (ids, i), NULL);

  for (guint i = 0; i < tc_journey_get_n_nodes (snapshot); i++)
    {
      const TcJourneyNode *node = tc_journey_get_node (snapshot, i);
      g_autoptr(GError) error = NULL;

      if (tc_journey_add_node (self->journey, node->id, node->kind, node->label,
                               node->x, node->y, node->config, &error) == NULL)
        {
          /* The snapshot came out of this model, so it always goes back in. */
          g_critical ("Could not restore node %s: %s", node->id, error->message);
          continue;
        }
      for (guint j = 0; j < node->ends->len; j++)
        tc_journey_set_port_ends (self->journey, node->id, g_ptr_array_index (node->ends, j),
                                  TRUE, NULL);
    }

  for (guint i = 0; i < tc_journey_get_n_edges (snapshot); i++)
    {
      const TcJourneyEdge *edge = tc_journey_get_edge (snapshot, i);

      tc_journey_connect (self->journey, edge->from, edge->port, edge->to, NULL);
    }

  self->restoring = FALSE;
  self->problems_dirty = TRUE;
  prune_selection (self);
  g_signal_emit (self, signals[PROBLEMS_CHANGED], 0);
}

/* When an edit of several calls fails half-way, nothing of it stays. */
static void
abort_step (TcJourneyEditorLogic *self,
            gboolean              changed)
{
  g_autoptr(TcJourney) before = g_steal_pointer (&self->pending);

  if (changed && before != NULL)
    restore (self, before);
}

/* Selection */

static void
selection_changed (TcJourneyEditorLogic *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SELECTED]);
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

static void
prune_selection (TcJourneyEditorLogic *self)
{
  GHashTableIter iter;
  gpointer key;
  gboolean changed = FALSE;

  g_hash_table_iter_init (&iter, self->selection);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (tc_journey_lookup_node (self->journey, key) == NULL)
      {
        g_hash_table_iter_remove (&iter);
        changed = TRUE;
      }

  if (changed)
    selection_changed (self);
}

static void
set_selection (TcJourneyEditorLogic *self,
               GPtrArray            *ids)
{
  g_hash_table_remove_all (self->selection);
  for (guint i = 0; i < ids->len; i++)
    g_hash_table_add (self->selection, g_strdup (g_ptr_array_index (ids, i)));
  selection_changed (self);
}

static void
on_journey_changed_cb (TcJourneyEditorLogic *self)
{
  self->problems_dirty = TRUE;
  if (!self->restoring)
    g_signal_emit (self, signals[PROBLEMS_CHANGED], 0);
}

/* GObject */

static void
tc_journey_editor_logic_finalize (GObject *object)
{
  TcJourneyEditorLogic *self = TC_JOURNEY_EDITOR_LOGIC (object);

  if (self->journey != NULL)
    g_signal_handlers_disconnect_by_data (self->journey, self);
  g_clear_object (&self->journey);
  g_clear_object (&self->pending);
  g_clear_pointer (&self->steps, g_ptr_array_unref);
  g_clear_pointer (&self->move_origins, g_array_unref);
  g_clear_pointer (&self->selection, g_hash_table_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_pointer (&self->stats, g_hash_table_unref);
  if (self->lookup_destroy != NULL)
    self->lookup_destroy (self->lookup_data);
  g_free (self->paste_source);

  G_OBJECT_CLASS (tc_journey_editor_logic_parent_class)->finalize (object);
}

static void
tc_journey_editor_logic_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  TcJourneyEditorLogic *self = TC_JOURNEY_EDITOR_LOGIC (object);

  switch (prop_id)
    {
    case PROP_JOURNEY:
      g_value_set_object (value, self->journey);
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, tc_journey_editor_logic_can_undo (self));
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, tc_journey_editor_logic_can_redo (self));
      break;
    case PROP_UNDO_LABEL:
      g_value_set_string (value, tc_journey_editor_logic_get_undo_label (self));
      break;
    case PROP_REDO_LABEL:
      g_value_set_string (value, tc_journey_editor_logic_get_redo_label (self));
      break;
    case PROP_MODIFIED:
      g_value_set_boolean (value, tc_journey_editor_logic_get_modified (self));
      break;
    case PROP_N_SELECTED:
      g_value_set_uint (value, g_hash_table_size (self->selection));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_journey_editor_logic_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  TcJourneyEditorLogic *self = TC_JOURNEY_EDITOR_LOGIC (object);

  switch (prop_id)
    {
    case PROP_JOURNEY:
      self->journey = g_value_dup_object (value);
      g_signal_connect_swapped (self->journey, "changed",
                                G_CALLBACK (on_journey_changed_cb), self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_journey_editor_logic_class_init (TcJourneyEditorLogicClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tc_journey_editor_logic_finalize;
  object_class->get_property = tc_journey_editor_logic_get_property;
  object_class->set_property = tc_journey_editor_logic_set_property;

  properties[PROP_JOURNEY] =
    g_param_spec_object ("journey", NULL, NULL, TC_TYPE_JOURNEY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNDO_LABEL] =
    g_param_spec_string ("undo-label", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REDO_LABEL] =
    g_param_spec_string ("redo-label", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_SELECTED] =
    g_param_spec_uint ("n-selected", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[PROBLEMS_CHANGED] =
    g_signal_new ("problems-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[STATS_CHANGED] =
    g_signal_new ("stats-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tc_journey_editor_logic_init (TcJourneyEditorLogic *self)
{
  self->steps = g_ptr_array_new_with_free_func (step_free);
  self->selection = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->problems_dirty = TRUE;
}

/* Public API */

TcJourneyEditorLogic *
tc_journey_editor_logic_new (TcJourney *journey)
{
  g_return_val_if_fail (TC_IS_JOURNEY (journey), NULL);

  return g_object_new (TC_TYPE_JOURNEY_EDITOR_LOGIC, "journey", journey, NULL);
}

TcJourney *
tc_journey_editor_logic_get_journey (TcJourneyEditorLogic *self)
{
  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), NULL);

  return self->journey;
}

static double
snap (double value)
{
  return round (value / GRID) * GRID;
}

const char *
tc_journey_editor_logic_add_node (TcJourneyEditorLogic *self,
                                  TcJourneyNodeKind     kind,
                                  double                x,
                                  double                y,
                                  GError              **error)
{
  const char *id;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), NULL);

  begin_step (self);
  id = tc_journey_add_node (self->journey, NULL, kind, "", snap (x), snap (y), NULL, error);
  if (id == NULL)
    {
      abort_step (self, FALSE);
      return NULL;
    }
  commit_step (self, _("Add Step"), NULL);

  g_ptr_array_add (ids, (gpointer) id);
  set_selection (self, ids);
  return id;
}

gboolean
tc_journey_editor_logic_connect (TcJourneyEditorLogic *self,
                                 const char           *from,
                                 const char           *port,
                                 const char           *to,
                                 GError              **error)
{
  const TcJourneyEdge *edge;

  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), FALSE);
  g_return_val_if_fail (from != NULL && port != NULL && to != NULL, FALSE);

  /* The same edge again is no step. */
  edge = tc_journey_lookup_edge (self->journey, from, port);
  if (edge != NULL && g_strcmp0 (edge->to, to) == 0)
    return TRUE;

  begin_step (self);
  if (!tc_journey_connect (self->journey, from, port, to, error))
    {
      abort_step (self, FALSE);
      return FALSE;
    }
  commit_step (self, _("Connect"), NULL);
  return TRUE;
}

gboolean
tc_journey_editor_logic_disconnect (TcJourneyEditorLogic *self,
                                    const char           *from,
                                    const char           *port)
{
  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), FALSE);
  g_return_val_if_fail (from != NULL && port != NULL, FALSE);

  if (tc_journey_lookup_edge (self->journey, from, port) == NULL)
    return FALSE;

  begin_step (self);
  tc_journey_disconnect (self->journey, from, port);
  commit_step (self, _("Disconnect"), NULL);
  return TRUE;
}

gboolean
tc_journey_editor_logic_set_port_ends (TcJourneyEditorLogic *self,
                                       const char           *id,
                                       const char           *port,
                                       gboolean              ends,
                                       GError              **error)
{
  const TcJourneyNode *node;

  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), FALSE);
  g_return_val_if_fail (id != NULL && port != NULL, FALSE);

  node = tc_journey_lookup_node (self->journey, id);
  if (node != NULL && !!tc_journey_node_port_ends (node, port) == !!ends)
    return TRUE;

  begin_step (self);
  if (!tc_journey_set_port_ends (self->journey, id, port, ends, error))
    {
      abort_step (self, FALSE);
      return FALSE;
    }
  commit_step (self, ends ? _("End Journey Here") : _("Continue Journey"), NULL);
  return TRUE;
}

gboolean
tc_journey_editor_logic_set_label (TcJourneyEditorLogic *self,
                                   const char           *id,
                                   const char           *label,
                                   GError              **error)
{
  const TcJourneyNode *node;
  g_autofree char *key = NULL;

  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  node = tc_journey_lookup_node (self->journey, id);
  if (node != NULL && g_strcmp0 (node->label, label != NULL ? label : "") == 0)
    return TRUE;

  begin_step (self);
  if (!tc_journey_set_node_label (self->journey, id, label, error))
    {
      abort_step (self, FALSE);
      return FALSE;
    }
  key = g_strconcat ("label:", id, NULL);
  commit_step (self, _("Rename Step"), key);
  return TRUE;
}

gboolean
tc_journey_editor_logic_set_config (TcJourneyEditorLogic *self,
                                    const char           *id,
                                    JsonObject           *config,
                                    GError              **error)
{
  const TcJourneyNode *node;
  g_autofree char *key = NULL;

  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (config != NULL, FALSE);

  node = tc_journey_lookup_node (self->journey, id);
  if (node != NULL && json_object_equal (node->config, config))
    return TRUE;

  begin_step (self);
  if (!tc_journey_set_node_config (self->journey, id, config, error))
    {
      abort_step (self, FALSE);
      return FALSE;
    }
  key = g_strconcat ("config:", id, NULL);
  commit_step (self, _("Change Step"), key);
  return TRUE;
}

guint
tc_journey_editor_logic_delete_selection (TcJourneyEditorLogic *self)
{
  g_auto(GStrv) ids = NULL;
  guint n;
  g_autofree char *label = NULL;

  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), 0);

  ids = tc_journey_editor_logic_dup_selection (self);
  n = g_strv_length (ids);
  if (n == 0)
    return 0;

  begin_step (self);
  for (guint i = 0; i < n; i++)
    tc_journey_remove_node (self->journey, ids[i], NULL);
  label = g_strdup_printf (ngettext ("Delete Step", "Delete %u Steps", n), n);
  commit_step (self, label, NULL);

  g_hash_table_remove_all (self->selection);
  selection_changed (self);
  return n;
}

static void
move_origin_clear (gpointer data)
{
  g_free (((MoveOrigin *) data)->id);
}

void
tc_journey_editor_logic_move_begin (TcJourneyEditorLogic *self)
{
  g_return_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self));

  g_clear_pointer (&self->move_origins, g_array_unref);
  g_clear_object (&self->pending);

  self->move_origins = g_array_new (FALSE, FALSE, sizeof (MoveOrigin));
  g_array_set_clear_func (self->move_origins, move_origin_clear);
  for (guint i = 0; i < tc_journey_get_n_nodes (self->journey); i++)
    {
      const TcJourneyNode *node = tc_journey_get_node (self->journey, i);
      MoveOrigin origin;

      if (!g_hash_table_contains (self->selection, node->id))
        continue;
      origin.id = g_strdup (node->id);
      origin.x = node->x;
      origin.y = node->y;
      g_array_append_val (self->move_origins, origin);
    }

  begin_step (self);
}

void
tc_journey_editor_logic_move_update (TcJourneyEditorLogic *self,
                                     double                dx,
                                     double                dy)
{
  g_return_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self));

  if (self->move_origins == NULL)
    return;

  for (guint i = 0; i < self->move_origins->len; i++)
    {
      MoveOrigin *origin = &g_array_index (self->move_origins, MoveOrigin, i);

      tc_journey_move_node (self->journey, origin->id,
                            snap (origin->x + dx), snap (origin->y + dy), NULL);
    }
}

void
tc_journey_editor_logic_move_end (TcJourneyEditorLogic *self)
{
  gboolean moved = FALSE;

  g_return_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self));

  if (self->move_origins == NULL)
    return;

  for (guint i = 0; i < self->move_origins->len; i++)
    {
      MoveOrigin *origin = &g_array_index (self->move_origins, MoveOrigin, i);
      const TcJourneyNode *node = tc_journey_lookup_node (self->journey, origin->id);

      if (node != NULL && (node->x != origin->x || node->y != origin->y))
        moved = TRUE;
    }
  g_clear_pointer (&self->move_origins, g_array_unref);

  if (moved)
    commit_step (self, _("Move"), NULL);
  else
    abort_step (self, FALSE);
}

gboolean
tc_journey_editor_logic_nudge (TcJourneyEditorLogic *self,
                               double                dx,
                               double                dy)
{
  g_auto(GStrv) ids = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), FALSE);

  ids = tc_journey_editor_logic_dup_selection (self);
  if (ids[0] == NULL)
    return FALSE;

  begin_step (self);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      const TcJourneyNode *node = tc_journey_lookup_node (self->journey, ids[i]);

      tc_journey_move_node (self->journey, ids[i], node->x + dx, node->y + dy, NULL);
    }
  joined = g_strjoinv (",", ids);
  key = g_strconcat ("nudge:", joined, NULL);
  commit_step (self, _("Move"), key);
  return TRUE;
}

/* Tidy-up */

typedef struct
{
  guint  layer;
  double key;
  guint  index;
} Placement;

static int
compare_placements (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  const Placement *all = user_data;
  const Placement *pa = &all[*(const guint *) a];
  const Placement *pb = &all[*(const guint *) b];

  if (pa->key != pb->key)
    return pa->key < pb->key ? -1 : 1;
  return (int) pa->index - (int) pb->index;
}

/* Layers by the longest path from the trigger: depth-first search marks
 * the edges that close a loop (those back to a node still on the stack),
 * the rest is a DAG whose nodes go in topological order to the layer one
 * past their furthest predecessor. Within a layer, nodes follow their
 * predecessor's place and port, so yes stays above no. */
static void
compute_layout (TcJourney *journey,
                double    *xs,
                double    *ys)
{
  guint n = tc_journey_get_n_nodes (journey);
  guint n_edges = tc_journey_get_n_edges (journey);
  g_autoptr(GHashTable) index_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree guint *from = g_new0 (guint, n_edges + 1);
  g_autofree guint *to = g_new0 (guint, n_edges + 1);
  g_autofree guint *port_index = g_new0 (guint, n_edges + 1);
  g_autofree gboolean *back = g_new0 (gboolean, n_edges + 1);
  g_autofree guint8 *color = g_new0 (guint8, n + 1);
  g_autofree guint *indegree = g_new0 (guint, n + 1);
  g_autofree Placement *place = g_new0 (Placement, n + 1);
  g_autofree guint *order = g_new0 (guint, n + 1);
  g_autofree double *height = g_new0 (double, n + 1);
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint));
  const TcJourneyNode *trigger = tc_journey_get_trigger (journey);
  guint n_layers = 0, head = 0, tail = 0;
  double max_height = 0;

  for (guint i = 0; i < n; i++)
    g_hash_table_insert (index_of, tc_journey_get_node (journey, i)->id, GUINT_TO_POINTER (i));

  for (guint e = 0; e < n_edges; e++)
    {
      const TcJourneyEdge *edge = tc_journey_get_edge (journey, e);
      const TcJourneyNode *node = tc_journey_lookup_node (journey, edge->from);
      g_auto(GStrv) ports = tc_journey_node_dup_ports (node);

      from[e] = GPOINTER_TO_UINT (g_hash_table_lookup (index_of, edge->from));
      to[e] = GPOINTER_TO_UINT (g_hash_table_lookup (index_of, edge->to));
      for (guint p = 0; ports != NULL && ports[p] != NULL; p++)
        if (strcmp (ports[p], edge->port) == 0)
          port_index[e] = p;
    }

  /* Depth-first, iteratively (a journey may be 500 nodes deep): the stack
   * holds node << 1 | leaving. The trigger first, then any node left. */
  for (guint s = 0; s <= n; s++)
    {
      guint root;

      if (s == 0)
        {
          if (trigger == NULL)
            continue;
          root = GPOINTER_TO_UINT (g_hash_table_lookup (index_of, trigger->id));
        }
      else
        root = s - 1;
      if (color[root] != 0)
        continue;

      g_array_append_val (stack, (guint) { root << 1 });
      while (stack->len > 0)
        {
          guint top = g_array_index (stack, guint, stack->len - 1);
          guint v = top >> 1;

          g_array_set_size (stack, stack->len - 1);
          if (top & 1)
            {
              color[v] = 2;
              continue;
            }
          if (color[v] != 0)
            continue;
          color[v] = 1;
          g_array_append_val (stack, (guint) { v << 1 | 1 });
          for (guint e = n_edges; e-- > 0;)
            {
              if (from[e] != v)
                continue;
              if (color[to[e]] == 1)
                back[e] = TRUE;
              else if (color[to[e]] == 0)
                g_array_append_val (stack, (guint) { to[e] << 1 });
            }
        }
    }

  /* Kahn's algorithm over the edges that are not back edges gives the
   * longest-path layers; the search above broke every loop, the fallback
   * inside only guards against a loop it could not see. */
  for (guint e = 0; e < n_edges; e++)
    if (!back[e])
      indegree[to[e]]++;

  for (guint i = 0; i < n; i++)
    {
      place[i].index = i;
      place[i].key = G_MAXDOUBLE;
    }

  for (guint i = 0; i < n; i++)
    if (indegree[i] == 0)
      order[tail++] = i;

  while (head < n)
    {
      guint v;

      if (head == tail)
        {
          /* A loop the search did not break: start it at its first node. */
          for (guint i = 0; i < n; i++)
            if (indegree[i] > 0)
              {
                indegree[i] = 0;
                order[tail++] = i;
                break;
              }
        }
      v = order[head++];
      for (guint e = 0; e < n_edges; e++)
        {
          if (back[e] || from[e] != v || indegree[to[e]] == 0)
            continue;
          place[to[e]].layer = MAX (place[to[e]].layer, place[v].layer + 1);
          if (--indegree[to[e]] == 0)
            order[tail++] = to[e];
        }
    }

  for (guint i = 0; i < n; i++)
    {
      TcJourneyRect rect;

      tc_journey_node_get_rect (tc_journey_get_node (journey, i), &rect);
      height[i] = rect.height;
      n_layers = MAX (n_layers, place[i].layer + 1);
    }

  /* Layer by layer, the order within it, then the positions. */
  for (guint layer = 0; layer < n_layers; layer++)
    {
      g_autoptr(GArray) members = g_array_new (FALSE, FALSE, sizeof (guint));
      double total = 0, y;

      for (guint i = 0; i < n; i++)
        if (place[i].layer == layer)
          {
            for (guint e = 0; e < n_edges; e++)
              if (!back[e] && to[e] == i && place[from[e]].layer < layer)
                place[i].key = MIN (place[i].key, ys[from[e]] * 16 + port_index[e]);
            if (place[i].key == G_MAXDOUBLE)
              place[i].key = 1e12 + i;
            g_array_append_val (members, i);
          }

      g_array_sort_with_data (members, compare_placements, place);
      for (guint m = 0; m < members->len; m++)
        total += height[g_array_index (members, guint, m)] + (m > 0 ? TC_JOURNEY_LAYOUT_V_GAP : 0);
      max_height = MAX (max_height, total);

      /* Centred on the first layer's middle: ys is its position for now. */
      y = -total / 2;
      for (guint m = 0; m < members->len; m++)
        {
          guint i = g_array_index (members, guint, m);

          xs[i] = layer * (TC_JOURNEY_CARD_WIDTH + TC_JOURNEY_LAYOUT_H_GAP);
          ys[i] = y;
          y += height[i] + TC_JOURNEY_LAYOUT_V_GAP;
        }
    }

  /* Everything below the origin, on the grid. */
  for (guint i = 0; i < n; i++)
    ys[i] = snap (ys[i] + max_height / 2);
}

void
tc_journey_editor_logic_tidy (TcJourneyEditorLogic *self)
{
  guint n;
  g_autofree double *xs = NULL;
  g_autofree double *ys = NULL;
  gboolean moved = FALSE;

  g_return_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self));

  n = tc_journey_get_n_nodes (self->journey);
  if (n == 0)
    return;

  xs = g_new0 (double, n);
  ys = g_new0 (double, n);
  compute_layout (self->journey, xs, ys);

  begin_step (self);
  for (guint i = 0; i < n; i++)
    {
      const TcJourneyNode *node = tc_journey_get_node (self->journey, i);

      if (node->x == xs[i] && node->y == ys[i])
        continue;
      tc_journey_move_node (self->journey, node->id, xs[i], ys[i], NULL);
      moved = TRUE;
    }

  if (moved)
    commit_step (self, _("Tidy Up"), NULL);
  else
    abort_step (self, FALSE);
}

gboolean
tc_journey_editor_logic_needs_tidy (TcJourneyEditorLogic *self)
{
  guint n, n_edges, backwards = 0;

  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), FALSE);

  n = tc_journey_get_n_nodes (self->journey);
  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      {
        TcJourneyRect a, b;

        tc_journey_node_get_rect (tc_journey_get_node (self->journey, i), &a);
        tc_journey_node_get_rect (tc_journey_get_node (self->journey, j), &b);
        if (tc_journey_rect_intersects (&a, &b))
          return TRUE;
      }

  n_edges = tc_journey_get_n_edges (self->journey);
  for (guint e = 0; e < n_edges; e++)
    {
      const TcJourneyEdge *edge = tc_journey_get_edge (self->journey, e);
      const TcJourneyNode *from = tc_journey_lookup_node (self->journey, edge->from);
      const TcJourneyNode *to = tc_journey_lookup_node (self->journey, edge->to);

      if (to->x < from->x + TC_JOURNEY_CARD_WIDTH)
        backwards++;
    }
  return backwards * 2 > n_edges;
}

/* Copy and paste */

char *
tc_journey_editor_logic_copy (TcJourneyEditorLogic *self)
{
  g_autoptr(TcJourney) clip = NULL;
  char *text;

  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), NULL);

  if (g_hash_table_size (self->selection) == 0)
    return NULL;

  clip = tc_journey_new (_("Copied steps"));
  for (guint i = 0; i < tc_journey_get_n_nodes (self->journey); i++)
    {
      const TcJourneyNode *node = tc_journey_get_node (self->journey, i);

      if (!g_hash_table_contains (self->selection, node->id))
        continue;
      tc_journey_add_node (clip, node->id, node->kind, node->label, node->x, node->y,
                           node->config, NULL);
      for (guint j = 0; j < node->ends->len; j++)
        tc_journey_set_port_ends (clip, node->id, g_ptr_array_index (node->ends, j), TRUE, NULL);
    }
  for (guint i = 0; i < tc_journey_get_n_edges (self->journey); i++)
    {
      const TcJourneyEdge *edge = tc_journey_get_edge (self->journey, i);

      if (g_hash_table_contains (self->selection, edge->from) &&
          g_hash_table_contains (self->selection, edge->to))
        tc_journey_connect (clip, edge->from, edge->port, edge->to, NULL);
    }

  text = tc_journey_to_string (clip);
  g_free (self->paste_source);
  self->paste_source = g_strdup (text);
  self->n_pastes = 0;
  return text;
}

gboolean
tc_journey_editor_logic_paste (TcJourneyEditorLogic *self,
                               const char           *text,
                               GError              **error)
{
  g_autoptr(TcJourney) clip = NULL;
  g_autoptr(GHashTable) new_ids = NULL;
  g_autoptr(GPtrArray) selected = NULL;
  double offset;
  guint n;

  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  clip = tc_journey_new_from_data (text, -1, error);
  if (clip == NULL)
    return FALSE;

  n = tc_journey_get_n_nodes (clip);
  if (n == 0)
    {
      g_set_error_literal (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_INVALID,
                           _("The copied journey has no steps to paste."));
      return FALSE;
    }
  if (tc_journey_get_n_nodes (self->journey) + n > TC_JOURNEY_MAX_NODES)
    {
      g_set_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_INVALID,
                   _("Pasting %u steps would take the journey past %d steps; "
                     "delete some first."), n, TC_JOURNEY_MAX_NODES);
      return FALSE;
    }

  if (g_strcmp0 (self->paste_source, text) != 0)
    {
      g_free (self->paste_source);
      self->paste_source = g_strdup (text);
      self->n_pastes = 0;
    }
  offset = ++self->n_pastes * TC_JOURNEY_PASTE_OFFSET;

  new_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  selected = g_ptr_array_new ();

  begin_step (self);
  for (guint i = 0; i < n; i++)
    {
      const TcJourneyNode *node = tc_journey_get_node (clip, i);
      const char *id;

      id = tc_journey_add_node (self->journey, NULL, node->kind, node->label,
                                node->x + offset, node->y + offset, node->config, error);
      if (id == NULL)
        {
          abort_step (self, TRUE);
          return FALSE;
        }
      g_hash_table_insert (new_ids, g_strdup (node->id), g_strdup (id));
      g_ptr_array_add (selected, (gpointer) id);
      for (guint j = 0; j < node->ends->len; j++)
        tc_journey_set_port_ends (self->journey, id, g_ptr_array_index (node->ends, j), TRUE, NULL);
    }
  for (guint i = 0; i < tc_journey_get_n_edges (clip); i++)
    {
      const TcJourneyEdge *edge = tc_journey_get_edge (clip, i);

      if (!tc_journey_connect (self->journey,
                               g_hash_table_lookup (new_ids, edge->from), edge->port,
                               g_hash_table_lookup (new_ids, edge->to), error))
        {
          abort_step (self, TRUE);
          return FALSE;
        }
    }
  commit_step (self, _("Paste"), NULL);

  set_selection (self, selected);
  return TRUE;
}

/* History */

gboolean
tc_journey_editor_logic_can_undo (TcJourneyEditorLogic *self)
{
  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), FALSE);

  return self->n_done > 0;
}

gboolean
tc_journey_editor_logic_can_redo (TcJourneyEditorLogic *self)
{
  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), FALSE);

  return self->n_done < self->steps->len;
}

const char *
tc_journey_editor_logic_get_undo_label (TcJourneyEditorLogic *self)
{
  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), NULL);

  if (self->n_done == 0)
    return NULL;
  return ((Step *) g_ptr_array_index (self->steps, self->n_done - 1))->label;
}

const char *
tc_journey_editor_logic_get_redo_label (TcJourneyEditorLogic *self)
{
  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), NULL);

  if (self->n_done >= self->steps->len)
    return NULL;
  return ((Step *) g_ptr_array_index (self->steps, self->n_done))->label;
}

gboolean
tc_journey_editor_logic_undo (TcJourneyEditorLogic *self)
{
  Step *step;

  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), FALSE);

  if (self->n_done == 0)
    return FALSE;

  close_merge (self);
  step = g_ptr_array_index (self->steps, self->n_done - 1);
  self->n_done--;
  restore (self, step->before);
  notify_history (self);
  return TRUE;
}

gboolean
tc_journey_editor_logic_redo (TcJourneyEditorLogic *self)
{
  Step *step;

  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), FALSE);

  if (self->n_done >= self->steps->len)
    return FALSE;

  step = g_ptr_array_index (self->steps, self->n_done);
  self->n_done++;
  restore (self, step->after);
  close_merge (self);
  notify_history (self);
  return TRUE;
}

gboolean
tc_journey_editor_logic_get_modified (TcJourneyEditorLogic *self)
{
  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), FALSE);

  return current_serial (self) != self->saved_serial;
}

void
tc_journey_editor_logic_mark_saved (TcJourneyEditorLogic *self)
{
  g_return_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self));

  self->saved_serial = current_serial (self);
  /* Typing after a save starts a new step, so undo can reach the saved text. */
  close_merge (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

/* Selection */

void
tc_journey_editor_logic_select (TcJourneyEditorLogic *self,
                                const char           *id,
                                gboolean              extend)
{
  g_return_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self));
  g_return_if_fail (id != NULL);

  if (tc_journey_lookup_node (self->journey, id) == NULL)
    return;
  if (!extend)
    {
      if (g_hash_table_size (self->selection) == 1 && g_hash_table_contains (self->selection, id))
        return;
      g_hash_table_remove_all (self->selection);
    }
  else if (g_hash_table_contains (self->selection, id))
    return;

  g_hash_table_add (self->selection, g_strdup (id));
  close_merge (self);
  selection_changed (self);
}

void
tc_journey_editor_logic_toggle (TcJourneyEditorLogic *self,
                                const char           *id)
{
  g_return_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self));
  g_return_if_fail (id != NULL);

  if (!g_hash_table_remove (self->selection, id))
    {
      if (tc_journey_lookup_node (self->journey, id) == NULL)
        return;
      g_hash_table_add (self->selection, g_strdup (id));
    }
  close_merge (self);
  selection_changed (self);
}

void
tc_journey_editor_logic_select_all (TcJourneyEditorLogic *self)
{
  g_return_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self));

  for (guint i = 0; i < tc_journey_get_n_nodes (self->journey); i++)
    g_hash_table_add (self->selection, g_strdup (tc_journey_get_node (self->journey, i)->id));
  selection_changed (self);
}

void
tc_journey_editor_logic_clear_selection (TcJourneyEditorLogic *self)
{
  g_return_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self));

  if (g_hash_table_size (self->selection) == 0)
    return;
  g_hash_table_remove_all (self->selection);
  close_merge (self);
  selection_changed (self);
}

void
tc_journey_editor_logic_select_rect (TcJourneyEditorLogic *self,
                                     const TcJourneyRect  *rect,
                                     gboolean              extend)
{
  g_return_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self));
  g_return_if_fail (rect != NULL);

  if (!extend)
    g_hash_table_remove_all (self->selection);

  for (guint i = 0; i < tc_journey_get_n_nodes (self->journey); i++)
    {
      const TcJourneyNode *node = tc_journey_get_node (self->journey, i);
      TcJourneyRect card;

      tc_journey_node_get_rect (node, &card);
      if (tc_journey_rect_intersects (&card, rect))
        g_hash_table_add (self->selection, g_strdup (node->id));
    }
  close_merge (self);
  selection_changed (self);
}

gboolean
tc_journey_editor_logic_is_selected (TcJourneyEditorLogic *self,
                                     const char           *id)
{
  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), FALSE);

  return id != NULL && g_hash_table_contains (self->selection, id);
}

guint
tc_journey_editor_logic_get_n_selected (TcJourneyEditorLogic *self)
{
  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), 0);

  return g_hash_table_size (self->selection);
}

const TcJourneyNode *
tc_journey_editor_logic_get_selected_node (TcJourneyEditorLogic *self)
{
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), NULL);

  if (g_hash_table_size (self->selection) != 1)
    return NULL;
  g_hash_table_iter_init (&iter, self->selection);
  g_hash_table_iter_next (&iter, &key, NULL);
  return tc_journey_lookup_node (self->journey, key);
}

GStrv
tc_journey_editor_logic_dup_selection (TcJourneyEditorLogic *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), NULL);

  for (guint i = 0; i < tc_journey_get_n_nodes (self->journey); i++)
    {
      const TcJourneyNode *node = tc_journey_get_node (self->journey, i);

      if (g_hash_table_contains (self->selection, node->id))
        g_strv_builder_add (builder, node->id);
    }
  return g_strv_builder_end (builder);
}

/* Hit-testing */

const TcJourneyNode *
tc_journey_editor_logic_node_at (TcJourneyEditorLogic *self,
                                 double                x,
                                 double                y)
{
  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), NULL);

  /* Later nodes are drawn on top. */
  for (guint i = tc_journey_get_n_nodes (self->journey); i-- > 0;)
    {
      const TcJourneyNode *node = tc_journey_get_node (self->journey, i);
      TcJourneyRect rect;

      tc_journey_node_get_rect (node, &rect);
      if (tc_journey_rect_contains (&rect, x, y))
        return node;
    }
  return NULL;
}

const TcJourneyNode *
tc_journey_editor_logic_port_at (TcJourneyEditorLogic *self,
                                 double                x,
                                 double                y,
                                 double                radius,
                                 const char          **port)
{
  const TcJourneyNode *best = NULL;
  double best_distance = radius * radius;

  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), NULL);

  for (guint i = tc_journey_get_n_nodes (self->journey); i-- > 0;)
    {
      const TcJourneyNode *node = tc_journey_get_node (self->journey, i);
      g_auto(GStrv) ports = tc_journey_node_dup_ports (node);

      for (guint p = 0; ports != NULL && ports[p] != NULL; p++)
        {
          double px, py, d;

          tc_journey_node_get_port_position (node, ports[p], &px, &py);
          d = (px - x) * (px - x) + (py - y) * (py - y);
          if (d <= best_distance)
            {
              best_distance = d;
              best = node;
              if (port != NULL)
                *port = g_intern_string (ports[p]);
            }
        }
    }
  return best;
}

const TcJourneyNode *
tc_journey_editor_logic_input_at (TcJourneyEditorLogic *self,
                                  double                x,
                                  double                y,
                                  double                radius)
{
  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), NULL);

  for (guint i = tc_journey_get_n_nodes (self->journey); i-- > 0;)
    {
      const TcJourneyNode *node = tc_journey_get_node (self->journey, i);
      double ix, iy;

      tc_journey_node_get_input_position (node, &ix, &iy);
      if ((ix - x) * (ix - x) + (iy - y) * (iy - y) <= radius * radius)
        return node;
    }
  return tc_journey_editor_logic_node_at (self, x, y);
}

/* Validation */

void
tc_journey_editor_logic_set_template_lookup (TcJourneyEditorLogic   *self,
                                             TcJourneyTemplateLookup lookup,
                                             gpointer                user_data,
                                             GDestroyNotify          destroy)
{
  g_return_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self));

  if (self->lookup_destroy != NULL)
    self->lookup_destroy (self->lookup_data);
  self->lookup = lookup;
  self->lookup_data = user_data;
  self->lookup_destroy = destroy;
  self->problems_dirty = TRUE;
  g_signal_emit (self, signals[PROBLEMS_CHANGED], 0);
}

GPtrArray *
tc_journey_editor_logic_get_problems (TcJourneyEditorLogic *self)
{
  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), NULL);

  if (self->problems_dirty || self->problems == NULL)
    {
      g_clear_pointer (&self->problems, g_ptr_array_unref);
      self->problems = tc_journey_validate (self->journey, self->lookup, self->lookup_data);
      self->problems_dirty = FALSE;
    }
  return self->problems;
}

guint
tc_journey_editor_logic_count_node_problems (TcJourneyEditorLogic *self,
                                             const char           *id)
{
  GPtrArray *problems;
  guint n = 0;

  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), 0);

  problems = tc_journey_editor_logic_get_problems (self);
  for (guint i = 0; i < problems->len; i++)
    {
      const TcJourneyProblem *problem = g_ptr_array_index (problems, i);

      if (g_strcmp0 (problem->node, id) == 0)
        n++;
    }
  return n;
}

/* Live statistics */

void
tc_journey_badge_free (TcJourneyBadge *badge)
{
  if (badge == NULL)
    return;
  g_free (badge->text);
  g_free (badge);
}

static void
node_stats_copy_free (gpointer data)
{
  TcJourneyNodeStats *stats = data;

  g_free (stats->node);
  g_free (stats->kind);
  g_free (stats->label);
  g_free (stats);
}

static gboolean
node_stats_equal (const TcJourneyNodeStats *a,
                  const TcJourneyNodeStats *b)
{
  return a->waiting == b->waiting && a->passed == b->passed && a->sent == b->sent &&
         a->converted == b->converted;
}

gboolean
tc_journey_editor_logic_set_stats (TcJourneyEditorLogic *self,
                                   const TcJourneyStats *stats)
{
  g_autoptr(GHashTable) table = NULL;
  gboolean changed;

  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), FALSE);

  if (stats != NULL)
    {
      table = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, node_stats_copy_free);
      for (guint i = 0; stats->nodes != NULL && i < stats->nodes->len; i++)
        {
          const TcJourneyNodeStats *node = g_ptr_array_index (stats->nodes, i);
          TcJourneyNodeStats *copy;

          if (node->node == NULL || g_hash_table_contains (table, node->node))
            continue;
          copy = g_new0 (TcJourneyNodeStats, 1);
          *copy = *node;
          copy->node = g_strdup (node->node);
          copy->kind = g_strdup (node->kind);
          copy->label = g_strdup (node->label);
          g_hash_table_insert (table, copy->node, copy);
        }
    }

  /* Changed: one of them has none, or a node's numbers differ. */
  if ((table == NULL) != (self->stats == NULL))
    changed = TRUE;
  else if (table == NULL)
    changed = FALSE;
  else
    {
      GHashTableIter iter;
      gpointer value;

      changed = g_hash_table_size (table) != g_hash_table_size (self->stats);
      g_hash_table_iter_init (&iter, table);
      while (!changed && g_hash_table_iter_next (&iter, NULL, &value))
        {
          const TcJourneyNodeStats *now = value;
          const TcJourneyNodeStats *before = g_hash_table_lookup (self->stats, now->node);

          changed = before == NULL || !node_stats_equal (now, before);
        }
    }

  g_clear_pointer (&self->stats, g_hash_table_unref);
  self->stats = g_steal_pointer (&table);
  if (changed)
    g_signal_emit (self, signals[STATS_CHANGED], 0);
  return changed;
}

gboolean
tc_journey_editor_logic_has_stats (TcJourneyEditorLogic *self)
{
  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), FALSE);

  return self->stats != NULL;
}

/* Takes @text. */
static void
add_badge (GPtrArray          *badges,
           TcJourneyBadgeKind  kind,
           guint64             count,
           char               *text)
{
  TcJourneyBadge *badge;

  if (count == 0)
    {
      g_free (text);
      return;
    }
  badge = g_new0 (TcJourneyBadge, 1);
  badge->kind = kind;
  badge->count = count;
  badge->text = text;
  g_ptr_array_add (badges, badge);
}

#define PLURAL_N(count) ((gulong) MIN ((count), G_MAXULONG))

GPtrArray *
tc_journey_editor_logic_dup_badges (TcJourneyEditorLogic *self,
                                    const char           *id)
{
  GPtrArray *badges = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_journey_badge_free);
  const TcJourneyNodeStats *stats;
  const TcJourneyNode *node;
  char waiting[24], passed[24], sent[24], converted[24];

  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), badges);
  g_return_val_if_fail (id != NULL, badges);

  if (self->stats == NULL || (stats = g_hash_table_lookup (self->stats, id)) == NULL)
    return badges;
  node = tc_journey_lookup_node (self->journey, id);
  g_snprintf (waiting, sizeof waiting, "%" G_GUINT64_FORMAT, stats->waiting);
  g_snprintf (passed, sizeof passed, "%" G_GUINT64_FORMAT, stats->passed);
  g_snprintf (sent, sizeof sent, "%" G_GUINT64_FORMAT, stats->sent);
  g_snprintf (converted, sizeof converted, "%" G_GUINT64_FORMAT, stats->converted);

  add_badge (badges, TC_JOURNEY_BADGE_WAITING, stats->waiting,
             /* Translators: contacts waiting at a journey step now; %s is a number */
             g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s waiting", "%s waiting",
                                           PLURAL_N (stats->waiting)), waiting));
  add_badge (badges, TC_JOURNEY_BADGE_PASSED, stats->passed,
             /* Translators: times contacts went on from a journey step; %s is a number */
             g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s passed", "%s passed",
                                           PLURAL_N (stats->passed)), passed));
  if (node == NULL || tc_journey_node_kind_is_send (node->kind))
    add_badge (badges, TC_JOURNEY_BADGE_SENT, stats->sent,
               /* Translators: messages a journey step sent; %s is a number */
               g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s sent", "%s sent",
                                             PLURAL_N (stats->sent)), sent));
  add_badge (badges, TC_JOURNEY_BADGE_CONVERTED, stats->converted,
             /* Translators: contacts a journey's goal ended at this step; %s is a number */
             g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s converted", "%s converted",
                                           PLURAL_N (stats->converted)), converted));
  return badges;
}

char *
tc_journey_editor_logic_dup_stats_text (TcJourneyEditorLogic *self,
                                        const char           *id)
{
  g_autoptr(GPtrArray) badges = NULL;
  g_autoptr(GString) text = NULL;

  g_return_val_if_fail (TC_IS_JOURNEY_EDITOR_LOGIC (self), NULL);

  badges = tc_journey_editor_logic_dup_badges (self, id);
  if (badges->len == 0)
    return NULL;
  text = g_string_new (NULL);
  for (guint i = 0; i < badges->len; i++)
    {
      const TcJourneyBadge *badge = g_ptr_array_index (badges, i);

      if (i > 0)
        /* Translators: between two statistics, "3 waiting, 12 passed" */
        g_string_append (text, _(", "));
      g_string_append (text, badge->text);
    }
  /* Translators: the end of the sentence of a step's statistics */
  g_string_append (text, _("."));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Conditions and time windows for the inspector */

int
tc_journey_condition_get_kind (JsonObject *condition)
{
  static const char * const members[TC_JOURNEY_N_CONDITION_KINDS] = {
    [TC_JOURNEY_CONDITION_EVENT] = "event",
    [TC_JOURNEY_CONDITION_TAG] = "tag",
    [TC_JOURNEY_CONDITION_LAST_MESSAGE] = "last_message",
    [TC_JOURNEY_CONDITION_FIELD] = "field",
    [TC_JOURNEY_CONDITION_CONSENT] = "consent",
  };

  if (condition == NULL)
    return -1;
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    if (json_object_has_member (condition, members[i]))
      return (int) i;
  return -1;
}

JsonObject *
tc_journey_condition_new_default (TcJourneyConditionKind kind)
{
  JsonObject *condition = json_object_new ();

  switch (kind)
    {
    case TC_JOURNEY_CONDITION_EVENT:
      json_object_set_string_member (condition, "event", "order_placed");
      break;
    case TC_JOURNEY_CONDITION_TAG:
      json_object_set_string_member (condition, "tag", "vip");
      break;
    case TC_JOURNEY_CONDITION_LAST_MESSAGE:
      json_object_set_string_member (condition, "last_message", "clicked");
      break;
    case TC_JOURNEY_CONDITION_FIELD:
      json_object_set_string_member (condition, "field", "country");
      json_object_set_string_member (condition, "op", "equals");
      json_object_set_string_member (condition, "value", "US");
      break;
    case TC_JOURNEY_CONDITION_CONSENT:
    default:
      /* The usual question before a promotional WhatsApp message. */
      json_object_set_string_member (condition, "consent", "whatsapp");
      json_object_set_string_member (condition, "purpose", "promotional");
      json_object_set_string_member (condition, "status", "opted_in");
      break;
    }
  return condition;
}

static const char * const window_days[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

const char *
tc_journey_window_day_name (guint day)
{
  g_return_val_if_fail (day < G_N_ELEMENTS (window_days), NULL);

  return window_days[day];
}

/* "HH:MM" → minutes after midnight, or -1. */
static int
parse_time_of_day (const char *text)
{
  if (text == NULL || strlen (text) != 5 || !g_ascii_isdigit (text[0]) ||
      !g_ascii_isdigit (text[1]) || text[2] != ':' || !g_ascii_isdigit (text[3]) ||
      !g_ascii_isdigit (text[4]))
    return -1;
  {
    int hours = (text[0] - '0') * 10 + (text[1] - '0');
    int minutes = (text[3] - '0') * 10 + (text[4] - '0');

    if (hours > 23 || minutes > 59)
      return -1;
    return hours * 60 + minutes;
  }
}

gboolean
tc_journey_window_from_config (JsonObject      *config,
                               TcJourneyWindow *window)
{
  JsonObject *until;
  JsonNode *member;

  g_return_val_if_fail (window != NULL, FALSE);

  window->from = 0;
  window->to = -1;
  window->days = TC_JOURNEY_WINDOW_EVERY_DAY;
  if (config == NULL || (member = json_object_get_member (config, "until")) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (member))
    return FALSE;
  until = json_node_get_object (member);

  member = json_object_get_member (until, "from");
  if (member == NULL || json_node_get_value_type (member) != G_TYPE_STRING ||
      (window->from = parse_time_of_day (json_node_get_string (member))) < 0)
    {
      window->from = 0;
      return FALSE;
    }
  member = json_object_get_member (until, "to");
  if (member != NULL && json_node_get_value_type (member) == G_TYPE_STRING)
    window->to = parse_time_of_day (json_node_get_string (member));
  member = json_object_get_member (until, "days");
  if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
    {
      JsonArray *days = json_node_get_array (member);

      for (guint i = 0; i < json_array_get_length (days); i++)
        {
          JsonNode *day = json_array_get_element (days, i);

          if (json_node_get_value_type (day) != G_TYPE_STRING)
            continue;
          for (guint d = 0; d < G_N_ELEMENTS (window_days); d++)
            if (g_strcmp0 (json_node_get_string (day), window_days[d]) == 0)
              window->days |= 1u << d;
        }
    }
  return TRUE;
}

JsonObject *
tc_journey_window_to_config (const TcJourneyWindow *window)
{
  JsonObject *config, *until;
  char text[8];

  g_return_val_if_fail (window != NULL, NULL);
  g_return_val_if_fail (window->from >= 0 && window->from < 24 * 60, NULL);
  g_return_val_if_fail (window->to >= -1 && window->to < 24 * 60, NULL);

  config = json_object_new ();
  until = json_object_new ();
  g_snprintf (text, sizeof text, "%02d:%02d", window->from / 60, window->from % 60);
  json_object_set_string_member (until, "from", text);
  if (window->to >= 0)
    {
      g_snprintf (text, sizeof text, "%02d:%02d", window->to / 60, window->to % 60);
      json_object_set_string_member (until, "to", text);
    }
  if ((window->days & 0x7f) != TC_JOURNEY_WINDOW_EVERY_DAY && (window->days & 0x7f) != 0x7f)
    {
      JsonArray *days = json_array_new ();

      for (guint d = 0; d < G_N_ELEMENTS (window_days); d++)
        if (window->days & (1u << d))
          json_array_add_string_element (days, window_days[d]);
      json_object_set_array_member (until, "days", days);
    }
  json_object_set_object_member (config, "until", until);
  return config;
}
