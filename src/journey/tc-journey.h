/* tc-journey.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A journey: an automation a marketer draws — "when a cart is abandoned,
 * wait an hour, text a reminder, …" — as a graph of nodes joined by edges
 * from a node's named output port to another node. TcJourney is the model
 * the editor edits, the store saves per version and the runner walks; it
 * needs no GTK and no database.
 *
 * Node kinds and their output ports (tc_journey_node_kind_get_ports()):
 *
 *   trigger          next              the event that enrols a contact
 *   wait             next              a duration, or until a time window
 *   wait_for_event   happened, timed_out
 *   send_sms         sent, skipped     (optional fallback to WhatsApp)
 *   send_whatsapp    sent, skipped     (optional fallback to SMS)
 *   send_preferred   sent, skipped     the contact's preferred channel
 *   branch           yes, no           a condition on the contact
 *   split            one per branch    random A/B by percentages
 *   update_contact   next              add / remove a tag, set an attribute
 *   exit             (none)
 *
 * Each node's kind-specific settings are a JSON object ("config") checked
 * by tc_journey_node_check_config() whenever it enters the model, so the
 * runner can read it without checking again. Its members per kind are
 * documented in DESIGN.md ("Journeys"). An output port carries at most one
 * edge; a port may instead be marked as ending the journey there.
 *
 * The JSON form of a whole journey (tc_journey_to_json(),
 * tc_journey_new_from_json()) is what `textcast-cli journey export` writes
 * and what each stored version holds.
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TC_JOURNEY_ERROR (tc_journey_error_quark ())

/**
 * TcJourneyError:
 * @TC_JOURNEY_ERROR_INVALID: JSON or a value a journey cannot have; the
 *   message names the node, the field and the value
 * @TC_JOURNEY_ERROR_NOT_FOUND: no journey, version or node with that id
 * @TC_JOURNEY_ERROR_STATE: the journey is not in a state that allows it
 * @TC_JOURNEY_ERROR_PROBLEMS: the journey has validation problems (it
 *   cannot be activated); the problems come with the error's caller
 */
typedef enum
{
  TC_JOURNEY_ERROR_INVALID,
  TC_JOURNEY_ERROR_NOT_FOUND,
  TC_JOURNEY_ERROR_STATE,
  TC_JOURNEY_ERROR_PROBLEMS,
} TcJourneyError;

GQuark tc_journey_error_quark (void);

/* Bounds on what a journey (and its JSON) may hold. */
#define TC_JOURNEY_MAX_JSON_BYTES  (1024 * 1024)
#define TC_JOURNEY_MAX_NODES       500
#define TC_JOURNEY_MAX_EDGES       2000
#define TC_JOURNEY_MAX_ID_CHARS    64
#define TC_JOURNEY_MAX_TEXT_BYTES  2048
#define TC_JOURNEY_MAX_GOALS       20
#define TC_JOURNEY_MAX_FILTERS     20
#define TC_JOURNEY_MAX_BRANCHES    10
/* The longest wait (and wait-for-event window): a year, in seconds. */
#define TC_JOURNEY_MAX_SECONDS     (366 * 24 * 3600)

/* "draft", "active", "paused". */
typedef enum
{
  TC_JOURNEY_DRAFT,
  TC_JOURNEY_ACTIVE,
  TC_JOURNEY_PAUSED,
} TcJourneyState;

const char *tc_journey_state_to_string   (TcJourneyState  state);
gboolean    tc_journey_state_from_string (const char     *str,
                                          TcJourneyState *state);

/* "once" (once ever), "once_per_days" (at most once in N days),
 * "every_time" (every trigger event). */
typedef enum
{
  TC_JOURNEY_REENTRY_ONCE,
  TC_JOURNEY_REENTRY_ONCE_PER_DAYS,
  TC_JOURNEY_REENTRY_EVERY_TIME,
} TcJourneyReentry;

const char *tc_journey_reentry_to_string   (TcJourneyReentry  reentry);
gboolean    tc_journey_reentry_from_string (const char       *str,
                                            TcJourneyReentry *reentry);

/* "trigger", "wait", "wait_for_event", "send_sms", "send_whatsapp",
 * "send_preferred", "branch", "split", "update_contact", "exit". */
typedef enum
{
  TC_JOURNEY_NODE_TRIGGER,
  TC_JOURNEY_NODE_WAIT,
  TC_JOURNEY_NODE_WAIT_FOR_EVENT,
  TC_JOURNEY_NODE_SEND_SMS,
  TC_JOURNEY_NODE_SEND_WHATSAPP,
  TC_JOURNEY_NODE_SEND_PREFERRED,
  TC_JOURNEY_NODE_BRANCH,
  TC_JOURNEY_NODE_SPLIT,
  TC_JOURNEY_NODE_UPDATE_CONTACT,
  TC_JOURNEY_NODE_EXIT,
} TcJourneyNodeKind;

#define TC_JOURNEY_N_NODE_KINDS (TC_JOURNEY_NODE_EXIT + 1)

const char *tc_journey_node_kind_to_string   (TcJourneyNodeKind  kind);
gboolean    tc_journey_node_kind_from_string (const char        *str,
                                              TcJourneyNodeKind *kind);
/* TRUE for the three send kinds. */
gboolean    tc_journey_node_kind_is_send     (TcJourneyNodeKind  kind);

/* One node. Read its members freely; change it only through the
 * TcJourney functions below (they keep the graph consistent). */
typedef struct
{
  char              *id;      /* stable, [A-Za-z0-9_-], unique in the journey */
  TcJourneyNodeKind  kind;
  char              *label;   /* what the canvas shows ("" for the default) */
  double             x;
  double             y;
  JsonObject        *config;  /* checked by tc_journey_node_check_config() */
  GPtrArray         *ends;    /* (element-type utf8) output ports that end the journey */
} TcJourneyNode;

/* One edge: output @port of node @from → node @to. */
typedef struct
{
  char *from;
  char *port;
  char *to;
} TcJourneyEdge;

/* A journey-wide goal: an event (with optional property filters, in the
 * shape of a trigger's "filters") that ends the journey for the contact
 * wherever they are, and counts as a conversion. */
typedef struct
{
  char      *event;
  JsonArray *filters;  /* may be empty, never NULL */
} TcJourneyGoal;

/* The output ports of a node: for a split, one per branch ("A", "B", …) as
 * its config names them; NULL-terminated, free with g_strfreev(). */
GStrv        tc_journey_node_dup_ports        (const TcJourneyNode *node) G_GNUC_WARN_UNUSED_RESULT;
gboolean     tc_journey_node_has_port         (const TcJourneyNode *node,
                                               const char          *port);
gboolean     tc_journey_node_port_ends        (const TcJourneyNode *node,
                                               const char          *port);
/* The config a new node of @kind starts with (the editor's palette): it
 * passes tc_journey_node_check_config(), though a send still needs its
 * template before the journey validates. */
JsonObject  *tc_journey_node_default_config   (TcJourneyNodeKind    kind) G_GNUC_WARN_UNUSED_RESULT;
/* Checks @config for a node of @kind called @node_id (for the messages):
 * members, their types and values. Unknown members are refused, so that
 * a misspelt setting is not silently ignored. */
gboolean     tc_journey_node_check_config     (TcJourneyNodeKind    kind,
                                               const char          *node_id,
                                               JsonObject          *config,
                                               GError             **error);
/* Whether @id can name a node: 1 to TC_JOURNEY_MAX_ID_CHARS of
 * [A-Za-z0-9_-]. */
gboolean     tc_journey_node_id_is_valid      (const char          *id);

#define TC_TYPE_JOURNEY (tc_journey_get_type ())

G_DECLARE_FINAL_TYPE (TcJourney, tc_journey, TC, JOURNEY, GObject)

/*
 * Properties (notify on change): "id" (gint64, 0 until stored), "name",
 * "description", "state" (TcJourneyState as int), "version" (int, 0 until
 * stored: the version this object holds). The graph changes are announced
 * with the "changed" signal (no arguments) after every edit.
 */

TcJourney        *tc_journey_new               (const char        *name);
/* A deep copy: every field, node, edge and goal (the editor's working
 * copy; the runner's snapshot for another thread). */
TcJourney        *tc_journey_dup               (TcJourney         *self) G_GNUC_WARN_UNUSED_RESULT;

gint64            tc_journey_get_id            (TcJourney         *self);
void              tc_journey_set_id            (TcJourney         *self,
                                                gint64             id);
const char       *tc_journey_get_name          (TcJourney         *self);
void              tc_journey_set_name          (TcJourney         *self,
                                                const char        *name);
const char       *tc_journey_get_description   (TcJourney         *self);
void              tc_journey_set_description   (TcJourney         *self,
                                                const char        *description);
TcJourneyState    tc_journey_get_state         (TcJourney         *self);
void              tc_journey_set_state         (TcJourney         *self,
                                                TcJourneyState     state);
int               tc_journey_get_version       (TcJourney         *self);
void              tc_journey_set_version       (TcJourney         *self,
                                                int                version);

/* Re-entry: @days is used by ONCE_PER_DAYS only (1 to 3650). */
TcJourneyReentry  tc_journey_get_reentry       (TcJourney         *self,
                                                guint             *days);
void              tc_journey_set_reentry       (TcJourney         *self,
                                                TcJourneyReentry   reentry,
                                                guint              days);

guint                tc_journey_get_n_goals    (TcJourney         *self);
const TcJourneyGoal *tc_journey_get_goal       (TcJourney         *self,
                                                guint              index);
/* @filters may be NULL (no filters); it is copied. FALSE (and nothing
 * added) when there are TC_JOURNEY_MAX_GOALS already or the filters are
 * not valid. */
gboolean          tc_journey_add_goal          (TcJourney         *self,
                                                const char        *event,
                                                JsonArray         *filters,
                                                GError           **error);
void              tc_journey_clear_goals       (TcJourney         *self);

/* The graph. Nodes keep the order they were added in. */
guint                tc_journey_get_n_nodes    (TcJourney         *self);
const TcJourneyNode *tc_journey_get_node       (TcJourney         *self,
                                                guint              index);
const TcJourneyNode *tc_journey_lookup_node    (TcJourney         *self,
                                                const char        *id);
/* Adds a node. @id NULL picks a free one from the kind ("wait-1", …);
 * @config NULL takes the kind's default, else it is checked and copied.
 * Returns the node's id (owned by the journey), or NULL with @error. */
const char       *tc_journey_add_node          (TcJourney         *self,
                                                const char        *id,
                                                TcJourneyNodeKind  kind,
                                                const char        *label,
                                                double             x,
                                                double             y,
                                                JsonObject        *config,
                                                GError           **error);
/* Removes the node and every edge into or out of it. */
gboolean          tc_journey_remove_node       (TcJourney         *self,
                                                const char        *id,
                                                GError           **error);
gboolean          tc_journey_move_node         (TcJourney         *self,
                                                const char        *id,
                                                double             x,
                                                double             y,
                                                GError           **error);
gboolean          tc_journey_set_node_label    (TcJourney         *self,
                                                const char        *id,
                                                const char        *label,
                                                GError           **error);
/* Checks and copies @config; a split's edges from branches that no longer
 * exist are removed. */
gboolean          tc_journey_set_node_config   (TcJourney         *self,
                                                const char        *id,
                                                JsonObject        *config,
                                                GError           **error);
/* Marks (or unmarks) output @port of node @id as ending the journey there;
 * marking removes the port's edge. */
gboolean          tc_journey_set_port_ends     (TcJourney         *self,
                                                const char        *id,
                                                const char        *port,
                                                gboolean           ends,
                                                GError           **error);

guint                tc_journey_get_n_edges    (TcJourney         *self);
const TcJourneyEdge *tc_journey_get_edge       (TcJourney         *self,
                                                guint              index);
/* The edge leaving @port of node @from, or NULL. */
const TcJourneyEdge *tc_journey_lookup_edge    (TcJourney         *self,
                                                const char        *from,
                                                const char        *port);
/* Connects output @port of @from to @to, replacing the port's edge if it
 * had one and clearing its "ends" mark. Refused: unknown nodes or port, an
 * edge into the trigger, a node connected to itself. */
gboolean          tc_journey_connect           (TcJourney         *self,
                                                const char        *from,
                                                const char        *port,
                                                const char        *to,
                                                GError           **error);
/* Removes the edge leaving @port of @from; FALSE when there was none. */
gboolean          tc_journey_disconnect        (TcJourney         *self,
                                                const char        *from,
                                                const char        *port);

/* The trigger node when there is exactly one, else NULL. */
const TcJourneyNode *tc_journey_get_trigger    (TcJourney         *self);
/* The names of the WhatsApp templates the journey sends — a WhatsApp
 * step's template, an SMS step's fallback, a preferred-channel step's
 * WhatsApp template — each once, in node order (for their approval). */
GStrv                tc_journey_dup_whatsapp_templates (TcJourney *self) G_GNUC_WARN_UNUSED_RESULT;

/* JSON: the shape is in DESIGN.md ("Journeys"). Reading checks everything
 * (sizes, ids, kinds, configs, edges) and names the node, field and value
 * in its TC_JOURNEY_ERROR_INVALID errors; it never checks the graph as a
 * whole (that is tc_journey_validate()), so a draft can be saved and
 * loaded half-built. */
JsonNode         *tc_journey_to_json           (TcJourney         *self) G_GNUC_WARN_UNUSED_RESULT;
char             *tc_journey_to_string         (TcJourney         *self) G_GNUC_WARN_UNUSED_RESULT;
TcJourney        *tc_journey_new_from_json     (JsonNode          *node,
                                                GError           **error) G_GNUC_WARN_UNUSED_RESULT;
/* As tc_journey_new_from_json() on @length bytes of text (-1: up to the
 * NUL), refusing more than TC_JOURNEY_MAX_JSON_BYTES or JSON nested deeper
 * than 32 levels before parsing. */
TcJourney        *tc_journey_new_from_data     (const char        *data,
                                                gssize             length,
                                                GError           **error) G_GNUC_WARN_UNUSED_RESULT;

/* One problem found by tc_journey_validate(). */
typedef struct
{
  char *node;     /* the node's id, or NULL for the journey as a whole */
  char *code;     /* a stable word: "no_trigger", "unreachable", … */
  char *message;  /* a sentence naming the node */
} TcJourneyProblem;

void              tc_journey_problem_free      (TcJourneyProblem  *problem);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcJourneyProblem, tc_journey_problem_free)
/* Appends {"node": …, "code": …, "message": …} to @builder. */
void              tc_journey_problem_build_json (const TcJourneyProblem *problem,
                                                 JsonBuilder            *builder);

/* Looks up whether a template exists: @kind "sms" or "whatsapp". */
typedef gboolean (*TcJourneyTemplateLookup) (const char *kind,
                                             const char *name,
                                             gpointer    user_data);

/* Checks the graph as a whole; returns the problems, in node order
 * (empty when it can run). With @lookup, templates are also checked to
 * exist. Codes: no_trigger, several_triggers, unreachable,
 * output_unconnected, cycle_without_wait, no_template, template_missing,
 * no_purpose, no_consent, split_total.
 * Returns: (transfer full) (element-type TcJourneyProblem) */
GPtrArray        *tc_journey_validate          (TcJourney              *self,
                                                TcJourneyTemplateLookup lookup,
                                                gpointer                user_data) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
