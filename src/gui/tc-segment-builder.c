/* tc-segment-builder.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-segment-builder"

#include "config.h"

#include <glib/gi18n.h>

#include "tc-contact.h"
#include "tc-gui-util.h"
#include "tc-phone.h"
#include "tc-repository.h"
#include "tc-segment.h"
#include "tc-segment-builder.h"
#include "tc-segment-rows.h"
#include "tc-window.h"

/* How long after a change the count starts, and how many contacts the
 * preview lists. */
#define UPDATE_DELAY_MS 300
#define PREVIEW_LIMIT   20

typedef struct
{
  const char *id;
  const char *label;
} Choice;

static const Choice kind_choices[] = {
  { "field", N_("Contact field") },
  { "attribute", N_("Attribute") },
  { "tag", N_("Tag") },
  { "consent", N_("Consent") },
  { "engagement", N_("Engagement") },
  { "event", N_("Event") },
};
static const TcSegmentRowKind kind_values[] = {
  TC_SEGMENT_ROW_FIELD,
  TC_SEGMENT_ROW_ATTRIBUTE,
  TC_SEGMENT_ROW_TAG,
  TC_SEGMENT_ROW_CONSENT,
  TC_SEGMENT_ROW_ENGAGEMENT,
  TC_SEGMENT_ROW_EVENT,
};

static const Choice field_choices[] = {
  { "country", N_("Country") },
  { "region", N_("Region") },
  { "timezone", N_("Time zone") },
  { "first_name", N_("First name") },
  { "last_name", N_("Last name") },
  { "email", N_("Email") },
  { "phone", N_("Phone") },
  { "language", N_("Language") },
  { "created_at", N_("Added") },
};

static const Choice op_choices[] = {
  { "equals", N_("is") },
  { "not_equals", N_("is not") },
  { "contains", N_("contains") },
  { "in", N_("is one of") },
  { "before", N_("is before") },
  { "after", N_("is after") },
  { "empty", N_("is empty") },
  { "not_empty", N_("is not empty") },
};

static const Choice has_choices[] = {
  { "has", N_("has tag") },
  { "has_not", N_("does not have tag") },
};

static const Choice channel_choices[] = {
  { "sms", N_("SMS") },
  { "whatsapp", N_("WhatsApp") },
};

static const Choice purpose_choices[] = {
  { "promotional", N_("promotional") },
  { "transactional", N_("transactional") },
};

static const Choice status_choices[] = {
  { "opted_in", N_("opted in") },
  { "opted_out", N_("opted out") },
  { "pending", N_("pending") },
  { "expired", N_("expired") },
  { "none", N_("none recorded") },
};

static const Choice engagement_choices[] = {
  { "received", N_("received a message") },
  { "delivered", N_("had a message delivered") },
  { "read", N_("read a message") },
  { "clicked", N_("clicked a link") },
  { "replied", N_("replied") },
};

static const Choice any_channel_choices[] = {
  { "", N_("on any channel") },
  { "sms", N_("by SMS") },
  { "whatsapp", N_("on WhatsApp") },
};

static const Choice did_choices[] = {
  { "did", N_("did") },
  { "did_not", N_("did not do") },
};

static const Choice event_op_choices[] = {
  { "=", "=" },
  { "!=", "≠" },
  { ">", ">" },
  { ">=", "≥" },
  { "<", "<" },
  { "<=", "≤" },
  { "contains", N_("contains") },
};

static const Choice match_choices[] = {
  { "all", N_("All of these conditions") },
  { "any", N_("Any of these conditions") },
};

static const Choice group_choices[] = {
  { "all", N_("All of") },
  { "any", N_("Any of") },
};

struct _TcSegmentBuilder
{
  AdwWindow          parent_instance;

  TcRepository      *repository;
  char              *original_name;   /* NULL: a new segment */
  TcSegment         *fixed_segment;   /* a rule the rows cannot show */

  GtkWidget         *window_title;
  GtkWidget         *save_button;
  GtkWidget         *name_row;
  GtkWidget         *name_error;
  GtkWidget         *conditions_group;
  GtkWidget         *match_row;
  GtkWidget         *list;
  GtkWidget         *add_box;
  GtkWidget         *json_group;
  GtkWidget         *json_view;
  GtkWidget         *rule_error;
  GtkWidget         *preview_group;
  GtkWidget         *preview_list;
  GtkWidget         *spinner;

  TcSegment         *segment;         /* the rule as it stands, or NULL */
  guint              update_id;
  GCancellable      *count_cancellable;
  GCancellable      *cancellable;     /* loading and saving */
  gboolean           loading;
  gboolean           saving;
};

G_DEFINE_FINAL_TYPE (TcSegmentBuilder, tc_segment_builder, ADW_TYPE_WINDOW)

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One row of the builder: a condition or a group of them. */
typedef struct
{
  TcSegmentBuilder *self;
  TcSegmentRowKind  kind;
  GtkWidget        *row;
  GtkWidget        *kind_dropdown;
  GtkWidget        *fields;
  GtkWidget        *name_dropdown;
  GtkWidget        *name_entry;
  GtkWidget        *op_dropdown;
  GtkWidget        *value_entry;
  GtkWidget        *purpose_dropdown;
  GtkWidget        *status_dropdown;
  GtkWidget        *channel_dropdown;
  GtkWidget        *negated_dropdown;
  GtkWidget        *within_check;
  GtkWidget        *days_spin;
  GtkWidget        *property_entry;
  /* groups */
  GtkWidget        *any_dropdown;
  GtkWidget        *list;
} Condition;

static void schedule_update (TcSegmentBuilder *self);
static Condition *add_condition (TcSegmentBuilder *self,
                                 GtkWidget        *list,
                                 TcSegmentRowKind  kind);

/* ------------------------------------------------------------------------
 * Drop-downs over choices
 */

static GtkWidget *
choice_dropdown (const Choice *choices,
                 guint         n_choices)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  for (guint i = 0; i < n_choices; i++)
    g_ptr_array_add (labels, (gpointer) g_dgettext (GETTEXT_PACKAGE, choices[i].label));
  g_ptr_array_add (labels, NULL);

  return gtk_drop_down_new_from_strings ((const char * const *) labels->pdata);
}

static const char *
choice_get (GtkWidget    *dropdown,
            const Choice *choices,
            guint         n_choices)
{
  guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (dropdown));

  return selected < n_choices ? choices[selected].id : NULL;
}

/* Returns FALSE when @id is not among the choices. */
static gboolean
choice_set (GtkWidget    *dropdown,
            const Choice *choices,
            guint         n_choices,
            const char   *id)
{
  for (guint i = 0; i < n_choices; i++)
    if (g_strcmp0 (choices[i].id, id) == 0)
      {
        gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), i);
        return TRUE;
      }

  return FALSE;
}

#define CHOICE_DROPDOWN(c)     choice_dropdown ((c), G_N_ELEMENTS (c))
#define CHOICE_GET(w, c)       choice_get ((w), (c), G_N_ELEMENTS (c))
#define CHOICE_SET(w, c, id)   choice_set ((w), (c), G_N_ELEMENTS (c), (id))

/* ------------------------------------------------------------------------
 * Condition rows
 */

static void
on_changed_cb (TcSegmentBuilder *self)
{
  schedule_update (self);
}

static void
watch (Condition *c,
       GtkWidget *widget)
{
  if (GTK_IS_DROP_DOWN (widget))
    g_signal_connect_swapped (widget, "notify::selected", G_CALLBACK (on_changed_cb), c->self);
  else if (GTK_IS_SPIN_BUTTON (widget))
    g_signal_connect_swapped (widget, "value-changed", G_CALLBACK (on_changed_cb), c->self);
  else if (GTK_IS_CHECK_BUTTON (widget))
    g_signal_connect_swapped (widget, "toggled", G_CALLBACK (on_changed_cb), c->self);
  else if (GTK_IS_EDITABLE (widget))
    g_signal_connect_swapped (widget, "changed", G_CALLBACK (on_changed_cb), c->self);
}

static GtkWidget *
text_entry (const char *placeholder,
            int         width_chars,
            gboolean    expand)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), width_chars);
  gtk_widget_set_hexpand (entry, expand);

  return entry;
}

static GtkWidget *
dim_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "dim-label");

  return label;
}

/* The value entry shows only for operators that take a value, with a hint
 * of the form the value takes. */
static void
update_value_entry (Condition *c)
{
  const char *op = CHOICE_GET (c->op_dropdown, op_choices);
  const char *hint = _("value");

  if (g_strcmp0 (op, "in") == 0)
    hint = _("US, CA");
  else if (g_strcmp0 (op, "before") == 0 || g_strcmp0 (op, "after") == 0)
    hint = _("2026-03-01");
  gtk_entry_set_placeholder_text (GTK_ENTRY (c->value_entry), hint);
  gtk_widget_set_visible (c->value_entry, tc_segment_op_takes_value (op));
}

static void
on_op_changed_cb (Condition *c)
{
  update_value_entry (c);
}

static void
update_days (Condition *c)
{
  if (c->within_check != NULL)
    gtk_widget_set_sensitive (c->days_spin,
                              gtk_check_button_get_active (GTK_CHECK_BUTTON (c->within_check)));
  if (c->kind == TC_SEGMENT_ROW_ENGAGEMENT)
    gtk_widget_set_visible (c->channel_dropdown,
                            g_strcmp0 (CHOICE_GET (c->name_dropdown, engagement_choices), "clicked") != 0);
}

static GtkWidget *
days_spin (guint days)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (1, 3650, 1);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), MAX (days, 1));
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);

  return spin;
}

static GtkWidget *
line (void)
{
  return gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
}

/* (Re)builds the widgets after the kind drop-down. */
static void
build_fields (Condition *c)
{
  GtkWidget *first = line ();
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (c->fields)) != NULL)
    gtk_box_remove (GTK_BOX (c->fields), child);
  c->name_dropdown = c->name_entry = c->op_dropdown = c->value_entry = NULL;
  c->purpose_dropdown = c->status_dropdown = c->channel_dropdown = NULL;
  c->negated_dropdown = c->within_check = c->days_spin = c->property_entry = NULL;

  gtk_box_append (GTK_BOX (c->fields), first);

  switch (c->kind)
    {
    case TC_SEGMENT_ROW_FIELD:
    case TC_SEGMENT_ROW_ATTRIBUTE:
      if (c->kind == TC_SEGMENT_ROW_FIELD)
        {
          c->name_dropdown = CHOICE_DROPDOWN (field_choices);
          gtk_box_append (GTK_BOX (first), c->name_dropdown);
          watch (c, c->name_dropdown);
        }
      else
        {
          c->name_entry = text_entry (_("name, e.g. plan"), 10, FALSE);
          gtk_box_append (GTK_BOX (first), c->name_entry);
          watch (c, c->name_entry);
        }
      c->op_dropdown = CHOICE_DROPDOWN (op_choices);
      c->value_entry = text_entry (_("value"), 8, TRUE);
      gtk_box_append (GTK_BOX (first), c->op_dropdown);
      gtk_box_append (GTK_BOX (first), c->value_entry);
      g_signal_connect_swapped (c->op_dropdown, "notify::selected", G_CALLBACK (on_op_changed_cb), c);
      watch (c, c->op_dropdown);
      watch (c, c->value_entry);
      update_value_entry (c);
      break;

    case TC_SEGMENT_ROW_TAG:
      c->negated_dropdown = CHOICE_DROPDOWN (has_choices);
      c->name_entry = text_entry (_("tag, e.g. vip"), 8, TRUE);
      gtk_box_append (GTK_BOX (first), c->negated_dropdown);
      gtk_box_append (GTK_BOX (first), c->name_entry);
      watch (c, c->negated_dropdown);
      watch (c, c->name_entry);
      break;

    case TC_SEGMENT_ROW_CONSENT:
      c->status_dropdown = CHOICE_DROPDOWN (status_choices);
      c->name_dropdown = CHOICE_DROPDOWN (channel_choices);
      c->purpose_dropdown = CHOICE_DROPDOWN (purpose_choices);
      gtk_box_append (GTK_BOX (first), c->status_dropdown);
      gtk_box_append (GTK_BOX (first), dim_label (C_("consent", "for")));
      gtk_box_append (GTK_BOX (first), c->name_dropdown);
      gtk_box_append (GTK_BOX (first), c->purpose_dropdown);
      watch (c, c->status_dropdown);
      watch (c, c->name_dropdown);
      watch (c, c->purpose_dropdown);
      break;

    case TC_SEGMENT_ROW_ENGAGEMENT:
      c->name_dropdown = CHOICE_DROPDOWN (engagement_choices);
      c->channel_dropdown = CHOICE_DROPDOWN (any_channel_choices);
      c->days_spin = days_spin (30);
      gtk_box_append (GTK_BOX (first), c->name_dropdown);
      gtk_box_append (GTK_BOX (first), c->channel_dropdown);
      gtk_box_append (GTK_BOX (c->fields), child = line ());
      gtk_box_append (GTK_BOX (child), dim_label (_("in the last")));
      gtk_box_append (GTK_BOX (child), c->days_spin);
      gtk_box_append (GTK_BOX (child), dim_label (_("days")));
      g_signal_connect_swapped (c->name_dropdown, "notify::selected", G_CALLBACK (update_days), c);
      watch (c, c->name_dropdown);
      watch (c, c->channel_dropdown);
      watch (c, c->days_spin);
      break;

    case TC_SEGMENT_ROW_EVENT:
      c->negated_dropdown = CHOICE_DROPDOWN (did_choices);
      c->name_entry = text_entry (_("event, e.g. order_placed"), 12, TRUE);
      gtk_box_append (GTK_BOX (first), c->negated_dropdown);
      gtk_box_append (GTK_BOX (first), c->name_entry);
      watch (c, c->negated_dropdown);
      watch (c, c->name_entry);

      gtk_box_append (GTK_BOX (c->fields), child = line ());
      c->within_check = gtk_check_button_new_with_label (_("in the last"));
      c->days_spin = days_spin (30);
      gtk_box_append (GTK_BOX (child), c->within_check);
      gtk_box_append (GTK_BOX (child), c->days_spin);
      gtk_box_append (GTK_BOX (child), dim_label (_("days")));
      g_signal_connect_swapped (c->within_check, "toggled", G_CALLBACK (update_days), c);
      watch (c, c->within_check);
      watch (c, c->days_spin);

      gtk_box_append (GTK_BOX (c->fields), child = line ());
      c->property_entry = text_entry (_("property, e.g. value"), 10, FALSE);
      c->op_dropdown = CHOICE_DROPDOWN (event_op_choices);
      c->value_entry = text_entry (_("e.g. 50"), 6, TRUE);
      gtk_box_append (GTK_BOX (child), dim_label (_("where")));
      gtk_box_append (GTK_BOX (child), c->property_entry);
      gtk_box_append (GTK_BOX (child), c->op_dropdown);
      gtk_box_append (GTK_BOX (child), c->value_entry);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (c->op_dropdown), 2);
      watch (c, c->property_entry);
      watch (c, c->op_dropdown);
      watch (c, c->value_entry);
      break;

    case TC_SEGMENT_ROW_GROUP:
    default:
      g_assert_not_reached ();
    }

  update_days (c);
}

static void
on_kind_changed_cb (Condition *c)
{
  guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (c->kind_dropdown));

  if (selected >= G_N_ELEMENTS (kind_values))
    return;
  c->kind = kind_values[selected];
  build_fields (c);
  schedule_update (c->self);
}

static void
on_remove_clicked_cb (GtkButton *button,
                      Condition *c)
{
  TcSegmentBuilder *self = c->self;
  GtkWidget *list = gtk_widget_get_parent (c->row);

  gtk_list_box_remove (GTK_LIST_BOX (list), c->row);
  schedule_update (self);
}

static void
on_group_add_clicked_cb (GtkButton *button,
                         Condition *group)
{
  Condition *c = add_condition (group->self, group->list, TC_SEGMENT_ROW_TAG);

  gtk_widget_grab_focus (c->kind_dropdown);
  schedule_update (group->self);
}

static GtkWidget *
remove_button (Condition *c,
               const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_valign (button, GTK_ALIGN_START);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "circular");
  g_signal_connect (button, "clicked", G_CALLBACK (on_remove_clicked_cb), c);

  return button;
}

static GtkWidget *
conditions_list (const char *placeholder)
{
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *empty = gtk_label_new (placeholder);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_add_css_class (empty, "dim-label");
  gtk_label_set_wrap (GTK_LABEL (empty), TRUE);
  gtk_widget_set_margin_top (empty, 18);
  gtk_widget_set_margin_bottom (empty, 18);
  gtk_widget_set_margin_start (empty, 12);
  gtk_widget_set_margin_end (empty, 12);
  gtk_list_box_set_placeholder (GTK_LIST_BOX (list), empty);

  return list;
}

static Condition *
add_condition (TcSegmentBuilder *self,
               GtkWidget        *list,
               TcSegmentRowKind  kind)
{
  Condition *c = g_new0 (Condition, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  c->self = self;
  c->kind = kind;
  c->row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (c->row), FALSE);
  g_object_set_data_full (G_OBJECT (c->row), "condition", c, g_free);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (c->row), box);

  if (kind == TC_SEGMENT_ROW_GROUP)
    {
      GtkWidget *vbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
      GtkWidget *header = line ();
      GtkWidget *add = gtk_button_new_with_mnemonic (_("Add Condition to _Group"));

      gtk_widget_set_hexpand (vbox, TRUE);
      c->any_dropdown = CHOICE_DROPDOWN (group_choices);
      gtk_box_append (GTK_BOX (header), c->any_dropdown);
      gtk_box_append (GTK_BOX (header), dim_label (_("this group’s conditions")));
      gtk_box_append (GTK_BOX (vbox), header);
      watch (c, c->any_dropdown);

      c->list = conditions_list (_("An empty group: add a condition to it."));
      gtk_box_append (GTK_BOX (vbox), c->list);

      gtk_widget_set_halign (add, GTK_ALIGN_START);
      gtk_widget_add_css_class (add, "flat");
      g_signal_connect (add, "clicked", G_CALLBACK (on_group_add_clicked_cb), c);
      gtk_box_append (GTK_BOX (vbox), add);

      gtk_box_append (GTK_BOX (box), vbox);
      gtk_box_append (GTK_BOX (box), remove_button (c, _("Remove Group")));
    }
  else
    {
      c->kind_dropdown = CHOICE_DROPDOWN (kind_choices);
      for (guint i = 0; i < G_N_ELEMENTS (kind_values); i++)
        if (kind_values[i] == kind)
          gtk_drop_down_set_selected (GTK_DROP_DOWN (c->kind_dropdown), i);
      gtk_widget_set_valign (c->kind_dropdown, GTK_ALIGN_START);
      g_signal_connect_swapped (c->kind_dropdown, "notify::selected", G_CALLBACK (on_kind_changed_cb), c);

      c->fields = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      gtk_widget_set_hexpand (c->fields, TRUE);
      build_fields (c);

      gtk_box_append (GTK_BOX (box), c->kind_dropdown);
      gtk_box_append (GTK_BOX (box), c->fields);
      gtk_box_append (GTK_BOX (box), remove_button (c, _("Remove Condition")));
    }

  gtk_list_box_append (GTK_LIST_BOX (list), c->row);

  return c;
}

static char *
editable_text (GtkWidget *widget)
{
  return g_strdup (gtk_editable_get_text (GTK_EDITABLE (widget)));
}

static TcSegmentRow *
read_condition (Condition *c)
{
  TcSegmentRow *row = tc_segment_row_new (c->kind);

  switch (c->kind)
    {
    case TC_SEGMENT_ROW_FIELD:
    case TC_SEGMENT_ROW_ATTRIBUTE:
      row->name = c->name_dropdown != NULL
                  ? g_strdup (CHOICE_GET (c->name_dropdown, field_choices))
                  : editable_text (c->name_entry);
      row->op = g_strdup (CHOICE_GET (c->op_dropdown, op_choices));
      row->value = editable_text (c->value_entry);
      break;

    case TC_SEGMENT_ROW_TAG:
      row->name = editable_text (c->name_entry);
      row->negated = gtk_drop_down_get_selected (GTK_DROP_DOWN (c->negated_dropdown)) == 1;
      break;

    case TC_SEGMENT_ROW_CONSENT:
      row->name = g_strdup (CHOICE_GET (c->name_dropdown, channel_choices));
      row->purpose = g_strdup (CHOICE_GET (c->purpose_dropdown, purpose_choices));
      row->status = g_strdup (CHOICE_GET (c->status_dropdown, status_choices));
      break;

    case TC_SEGMENT_ROW_ENGAGEMENT:
      row->name = g_strdup (CHOICE_GET (c->name_dropdown, engagement_choices));
      if (g_strcmp0 (row->name, "clicked") != 0)
        row->channel = g_strdup (CHOICE_GET (c->channel_dropdown, any_channel_choices));
      row->within_days = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (c->days_spin));
      break;

    case TC_SEGMENT_ROW_EVENT:
      row->name = editable_text (c->name_entry);
      row->negated = gtk_drop_down_get_selected (GTK_DROP_DOWN (c->negated_dropdown)) == 1;
      if (gtk_check_button_get_active (GTK_CHECK_BUTTON (c->within_check)))
        row->within_days = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (c->days_spin));
      row->property = editable_text (c->property_entry);
      row->op = g_strdup (CHOICE_GET (c->op_dropdown, event_op_choices));
      row->value = editable_text (c->value_entry);
      break;

    case TC_SEGMENT_ROW_GROUP:
      row->any = g_strcmp0 (CHOICE_GET (c->any_dropdown, group_choices), "any") == 0;
      for (int i = 0; ; i++)
        {
          GtkListBoxRow *child = gtk_list_box_get_row_at_index (GTK_LIST_BOX (c->list), i);

          if (child == NULL)
            break;
          g_ptr_array_add (row->children, read_condition (g_object_get_data (G_OBJECT (child), "condition")));
        }
      break;

    default:
      g_assert_not_reached ();
    }

  return row;
}

static void
set_text (GtkWidget  *widget,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (widget), text != NULL ? text : "");
}

/* Shows @row (from tc_segment_rows_from_json()); FALSE when a value is not
 * among the choices the row offers. */
static gboolean
fill_condition (Condition          *c,
                const TcSegmentRow *row)
{
  gboolean ok = TRUE;

  switch (row->kind)
    {
    case TC_SEGMENT_ROW_FIELD:
      ok = CHOICE_SET (c->name_dropdown, field_choices, row->name);
      G_GNUC_FALLTHROUGH;
    case TC_SEGMENT_ROW_ATTRIBUTE:
      if (c->name_entry != NULL)
        set_text (c->name_entry, row->name);
      ok = CHOICE_SET (c->op_dropdown, op_choices, row->op) && ok;
      set_text (c->value_entry, row->value);
      break;

    case TC_SEGMENT_ROW_TAG:
      set_text (c->name_entry, row->name);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (c->negated_dropdown), row->negated ? 1 : 0);
      break;

    case TC_SEGMENT_ROW_CONSENT:
      ok = CHOICE_SET (c->name_dropdown, channel_choices, row->name)
           && CHOICE_SET (c->purpose_dropdown, purpose_choices, row->purpose)
           && CHOICE_SET (c->status_dropdown, status_choices, row->status);
      break;

    case TC_SEGMENT_ROW_ENGAGEMENT:
      ok = CHOICE_SET (c->name_dropdown, engagement_choices, row->name)
           && CHOICE_SET (c->channel_dropdown, any_channel_choices, row->channel != NULL ? row->channel : "");
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (c->days_spin), row->within_days);
      break;

    case TC_SEGMENT_ROW_EVENT:
      set_text (c->name_entry, row->name);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (c->negated_dropdown), row->negated ? 1 : 0);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (c->within_check), row->within_days > 0);
      if (row->within_days > 0)
        gtk_spin_button_set_value (GTK_SPIN_BUTTON (c->days_spin), row->within_days);
      set_text (c->property_entry, row->property);
      if (row->property != NULL)
        ok = CHOICE_SET (c->op_dropdown, event_op_choices, row->op);
      set_text (c->value_entry, row->value);
      break;

    case TC_SEGMENT_ROW_GROUP:
      gtk_drop_down_set_selected (GTK_DROP_DOWN (c->any_dropdown), row->any ? 1 : 0);
      for (guint i = 0; i < row->children->len && ok; i++)
        {
          const TcSegmentRow *child = g_ptr_array_index (row->children, i);

          ok = fill_condition (add_condition (c->self, c->list, child->kind), child);
        }
      break;

    default:
      g_assert_not_reached ();
    }

  return ok;
}

static void
clear_list (GtkWidget *list)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list), GTK_WIDGET (row));
}

/* ------------------------------------------------------------------------
 * The rule, the count and the preview
 */

static void
set_rule_error (TcSegmentBuilder *self,
                const char       *message)
{
  gtk_label_set_text (GTK_LABEL (self->rule_error), message != NULL ? message : "");
  gtk_widget_set_visible (self->rule_error, message != NULL);
}

static void
update_save_button (TcSegmentBuilder *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  g_autofree char *trimmed = g_strstrip (g_strdup (name));

  gtk_widget_set_sensitive (self->save_button,
                            self->segment != NULL && *trimmed != '\0'
                            && !self->saving && !self->loading);
}

static void
set_count_text (TcSegmentBuilder *self,
                const char       *text)
{
  adw_window_title_set_subtitle (ADW_WINDOW_TITLE (self->window_title), text);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->preview_group), text);
}

static void
count_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(TcSegmentBuilder) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  g_autofree char *text = NULL;
  guint n = 0;

  if (!tc_segment_count_finish (TC_REPOSITORY (object), result, &n, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = tc_gui_describe_error (error);

          set_count_text (self, NULL);
          set_rule_error (self, message);
          gtk_spinner_stop (GTK_SPINNER (self->spinner));
        }
      return;
    }

  gtk_spinner_stop (GTK_SPINNER (self->spinner));
  g_debug ("Segment count: %u contacts", n);
  number = tc_gui_format_number (n);
  /* Translators: %s is a number of contacts, such as 1,234 */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s contact matches", "%s contacts match", n), number);
  set_count_text (self, text);
}

static void
preview_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TcSegmentBuilder) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) contacts = NULL;

  contacts = tc_segment_preview_finish (TC_REPOSITORY (object), result, &error);
  if (contacts == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        clear_list (self->preview_list);
      return;
    }

  clear_list (self->preview_list);
  for (guint i = 0; i < contacts->len; i++)
    {
      TcContact *contact = g_ptr_array_index (contacts, i);
      g_autofree char *name = tc_contact_dup_display_name (contact);
      g_autofree char *title = g_markup_escape_text (name, -1);
      const char *country = tc_contact_get_country (contact);
      g_autofree char *phone = tc_phone_format_international (tc_contact_get_phone (contact));
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();

      if (country != NULL && *country != '\0')
        subtitle = g_strdup_printf ("%s · %s", phone, tc_gui_country_name (country));
      else
        subtitle = g_strdup (phone);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (GTK_LIST_BOX (self->preview_list), row);
    }
}

/* The rule as the rows stand, or NULL with a message. */
static TcSegment *
current_segment (TcSegmentBuilder  *self,
                 char             **message)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  TcSegment *segment;
  gboolean any;

  if (self->fixed_segment != NULL)
    return tc_segment_ref (self->fixed_segment);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_segment_row_free);
  for (int i = 0; ; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->list), i);

      if (row == NULL)
        break;
      g_ptr_array_add (rows, read_condition (g_object_get_data (G_OBJECT (row), "condition")));
    }
  any = adw_combo_row_get_selected (ADW_COMBO_ROW (self->match_row)) == 1;
  json = tc_segment_rows_to_json (any, rows, message);
  if (json == NULL)
    return NULL;

  segment = tc_segment_new_from_json (json, &error);
  if (segment == NULL)
    *message = g_strdup (error->message);

  return segment;
}

static gboolean
update_cb (gpointer user_data)
{
  TcSegmentBuilder *self = user_data;
  g_autofree char *message = NULL;

  self->update_id = 0;
  g_clear_pointer (&self->segment, tc_segment_unref);
  self->segment = current_segment (self, &message);
  update_save_button (self);

  g_cancellable_cancel (self->count_cancellable);
  g_clear_object (&self->count_cancellable);

  if (self->segment == NULL)
    {
      set_rule_error (self, message);
      set_count_text (self, _("Complete the conditions to see who matches"));
      clear_list (self->preview_list);
      gtk_widget_set_visible (self->preview_list, FALSE);
      gtk_spinner_stop (GTK_SPINNER (self->spinner));
      return G_SOURCE_REMOVE;
    }

  set_rule_error (self, NULL);
  gtk_widget_set_visible (self->preview_list, TRUE);
  self->count_cancellable = g_cancellable_new ();
  gtk_spinner_start (GTK_SPINNER (self->spinner));
  tc_segment_count_async (self->repository, self->segment, 0, self->count_cancellable,
                          count_cb, g_object_ref (self));
  tc_segment_preview_async (self->repository, self->segment, 0, PREVIEW_LIMIT,
                            self->count_cancellable, preview_cb, g_object_ref (self));

  return G_SOURCE_REMOVE;
}

static void
schedule_update (TcSegmentBuilder *self)
{
  if (self->loading)
    return;
  g_clear_handle_id (&self->update_id, g_source_remove);
  self->update_id = g_timeout_add (UPDATE_DELAY_MS, update_cb, self);
  update_save_button (self);
}

/* ------------------------------------------------------------------------
 * Name and saving
 */

static void
set_name_error (TcSegmentBuilder *self,
                const char       *message)
{
  gtk_label_set_text (GTK_LABEL (self->name_error), message != NULL ? message : "");
  gtk_widget_set_visible (self->name_error, message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (self->name_row, "error");
  else
    gtk_widget_remove_css_class (self->name_row, "error");
}

static void
on_name_changed_cb (TcSegmentBuilder *self)
{
  set_name_error (self, NULL);
  update_save_button (self);
}

static void
saved (TcSegmentBuilder *self,
       GError           *error)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  GtkWindow *parent;

  self->saving = FALSE;
  update_save_button (self);

  if (error != NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_debug ("Not saved: %s", error->message);
      if (g_error_matches (error, TC_SEGMENT_ERROR, TC_SEGMENT_ERROR_NAME_TAKEN))
        message = g_strdup_printf (_("Another segment is called “%s”. Choose another name."), name);
      else if (g_error_matches (error, TC_SEGMENT_ERROR, TC_SEGMENT_ERROR_INVALID_NAME))
        message = g_strdup (error->message);
      if (message != NULL)
        {
          set_name_error (self, message);
          gtk_widget_grab_focus (self->name_row);
        }
      else
        {
          message = tc_gui_describe_error (error);
          set_rule_error (self, message);
        }
      return;
    }

  g_debug ("Saved segment “%s”", name);
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, name);

  parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  if (TC_IS_WINDOW (parent))
    {
      g_autofree char *title = g_strdup_printf (_("Segment “%s” saved"), name);

      tc_window_add_toast (TC_WINDOW (parent), title);
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
add_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(TcSegmentBuilder) self = user_data;
  g_autoptr(GError) error = NULL;

  tc_segment_store_add_finish (TC_REPOSITORY (object), result, &error);
  saved (self, error);
}

static void
update_store_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TcSegmentBuilder) self = user_data;
  g_autoptr(GError) error = NULL;

  tc_segment_store_update_finish (TC_REPOSITORY (object), result, &error);
  saved (self, error);
}

static void
on_save_clicked_cb (TcSegmentBuilder *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  g_autofree char *message = NULL;
  g_autoptr(TcSegment) segment = NULL;

  if (self->saving || self->loading)
    return;
  segment = current_segment (self, &message);
  if (segment == NULL)
    {
      set_rule_error (self, message);
      return;
    }
  if (*name == '\0')
    {
      set_name_error (self, _("Enter a name for the segment."));
      return;
    }

  self->saving = TRUE;
  update_save_button (self);
  if (self->original_name == NULL)
    tc_segment_store_add_async (self->repository, name, segment, self->cancellable,
                                add_cb, g_object_ref (self));
  else
    tc_segment_store_update_async (self->repository, self->original_name,
                                   g_strcmp0 (name, self->original_name) != 0 ? name : NULL,
                                   segment, self->cancellable,
                                   update_store_cb, g_object_ref (self));
}

/* ------------------------------------------------------------------------
 * Opening a saved segment
 */

static void
show_fixed_rule (TcSegmentBuilder *self,
                 TcSegment        *segment)
{
  g_autoptr(JsonNode) node = json_from_string (tc_segment_get_json (segment), NULL);
  g_autofree char *pretty = node != NULL ? json_to_string (node, TRUE)
                                         : g_strdup (tc_segment_get_json (segment));

  self->fixed_segment = tc_segment_ref (segment);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->json_view)), pretty, -1);
  gtk_widget_set_visible (self->json_group, TRUE);
  gtk_widget_set_visible (self->conditions_group, FALSE);
  gtk_widget_set_visible (self->add_box, FALSE);
}

static void
get_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(TcSegmentBuilder) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcSavedSegment) saved_segment = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  gboolean any = FALSE;
  gboolean ok = TRUE;

  saved_segment = tc_segment_store_get_finish (TC_REPOSITORY (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  if (saved_segment == NULL)
    {
      g_autofree char *message = tc_gui_describe_error (error);

      set_rule_error (self, message);
      return;
    }

  self->loading = TRUE;
  rows = tc_segment_rows_from_json (tc_segment_get_json (saved_segment->segment), &any);
  if (rows != NULL)
    {
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->match_row), any ? 1 : 0);
      for (guint i = 0; i < rows->len && ok; i++)
        {
          const TcSegmentRow *row = g_ptr_array_index (rows, i);

          ok = fill_condition (add_condition (self, self->list, row->kind), row);
        }
    }
  if (rows == NULL || !ok)
    {
      clear_list (self->list);
      show_fixed_rule (self, saved_segment->segment);
    }
  self->loading = FALSE;
  gtk_widget_set_sensitive (self->conditions_group, TRUE);
  gtk_widget_set_sensitive (self->add_box, TRUE);
  schedule_update (self);
}

/* ------------------------------------------------------------------------
 * The window
 */

static void
on_add_condition_clicked_cb (TcSegmentBuilder *self)
{
  Condition *c = add_condition (self, self->list, TC_SEGMENT_ROW_FIELD);

  gtk_widget_grab_focus (c->kind_dropdown);
  schedule_update (self);
}

static void
on_add_group_clicked_cb (TcSegmentBuilder *self)
{
  Condition *group = add_condition (self, self->list, TC_SEGMENT_ROW_GROUP);

  add_condition (self, group->list, TC_SEGMENT_ROW_TAG);
  schedule_update (self);
}

static void
on_match_changed_cb (TcSegmentBuilder *self)
{
  schedule_update (self);
}

static GtkWidget *
build_content (TcSegmentBuilder *self)
{
  GtkWidget *toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  GtkWidget *group;
  GtkWidget *button;
  GtkWidget *spinner_box;
  GtkStringList *match_model;
  GtkWidget *frame;

  /* Header bar */
  self->window_title = adw_window_title_new (_("New Segment"), NULL);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), self->window_title);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_close), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  self->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  gtk_widget_set_sensitive (self->save_button, FALSE);
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (on_save_clicked_cb), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->save_button);
  gtk_box_append (GTK_BOX (toolbar), header);

  gtk_widget_set_margin_top (page, 24);
  gtk_widget_set_margin_bottom (page, 24);
  gtk_widget_set_margin_start (page, 12);
  gtk_widget_set_margin_end (page, 12);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 760);
  adw_clamp_set_child (ADW_CLAMP (clamp), page);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (toolbar), scrolled);

  /* Name */
  group = adw_preferences_group_new ();
  self->name_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->name_row), _("Name"));
  g_signal_connect_swapped (self->name_row, "changed", G_CALLBACK (on_name_changed_cb), self);
  g_signal_connect_swapped (self->name_row, "entry-activated", G_CALLBACK (on_save_clicked_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->name_row);
  self->name_error = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->name_error), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->name_error), 0);
  gtk_widget_add_css_class (self->name_error, "error");
  gtk_widget_add_css_class (self->name_error, "caption");
  gtk_widget_set_margin_top (self->name_error, 6);
  gtk_widget_set_visible (self->name_error, FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->name_error);
  gtk_box_append (GTK_BOX (page), group);

  /* Conditions */
  self->conditions_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->conditions_group), _("Conditions"));
  match_model = gtk_string_list_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (match_choices); i++)
    gtk_string_list_append (match_model, g_dgettext (GETTEXT_PACKAGE, match_choices[i].label));
  self->match_row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->match_row), _("Contacts Match"));
  adw_combo_row_set_model (ADW_COMBO_ROW (self->match_row), G_LIST_MODEL (match_model));
  g_object_unref (match_model);
  g_signal_connect_swapped (self->match_row, "notify::selected", G_CALLBACK (on_match_changed_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->conditions_group), self->match_row);

  self->list = conditions_list (_("No conditions: every contact matches."));
  gtk_widget_set_margin_top (self->list, 12);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->conditions_group), self->list);
  gtk_box_append (GTK_BOX (page), self->conditions_group);

  /* The rule as JSON, when the rows cannot show it */
  self->json_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->json_group), _("Rule"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->json_group),
                                         _("This segment uses conditions the builder cannot show, so its rule is shown as it is. You can still rename it; textcast-cli can change the rule."));
  self->json_view = gtk_text_view_new ();
  gtk_text_view_set_editable (GTK_TEXT_VIEW (self->json_view), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (self->json_view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (self->json_view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (self->json_view), 12);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (self->json_view), 12);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (self->json_view), 12);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (self->json_view), 12);
  frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (frame), self->json_view);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->json_group), frame);
  gtk_widget_set_visible (self->json_group, FALSE);
  gtk_box_append (GTK_BOX (page), self->json_group);

  /* Add buttons and the rule's problem */
  self->add_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  spinner_box = line ();
  gtk_widget_set_halign (spinner_box, GTK_ALIGN_CENTER);
  button = gtk_button_new_with_mnemonic (_("_Add Condition"));
  gtk_widget_add_css_class (button, "pill");
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (on_add_condition_clicked_cb), self);
  gtk_box_append (GTK_BOX (spinner_box), button);
  button = gtk_button_new_with_mnemonic (_("Add _Group"));
  gtk_widget_add_css_class (button, "pill");
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (on_add_group_clicked_cb), self);
  gtk_box_append (GTK_BOX (spinner_box), button);
  gtk_box_append (GTK_BOX (self->add_box), spinner_box);
  gtk_box_append (GTK_BOX (page), self->add_box);

  self->rule_error = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->rule_error), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->rule_error), 0);
  gtk_widget_add_css_class (self->rule_error, "error");
  gtk_widget_set_visible (self->rule_error, FALSE);
  gtk_box_append (GTK_BOX (page), self->rule_error);

  /* Preview */
  self->preview_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->preview_group), _("Preview"));
  self->spinner = gtk_spinner_new ();
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (self->preview_group), self->spinner);
  self->preview_list = conditions_list (_("No contacts match."));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->preview_group), self->preview_list);
  gtk_box_append (GTK_BOX (page), self->preview_group);

  return toolbar;
}

static void
tc_segment_builder_dispose (GObject *object)
{
  TcSegmentBuilder *self = TC_SEGMENT_BUILDER (object);

  g_clear_handle_id (&self->update_id, g_source_remove);
  g_cancellable_cancel (self->count_cancellable);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->count_cancellable);

  G_OBJECT_CLASS (tc_segment_builder_parent_class)->dispose (object);
}

static void
tc_segment_builder_finalize (GObject *object)
{
  TcSegmentBuilder *self = TC_SEGMENT_BUILDER (object);

  g_clear_object (&self->repository);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->segment, tc_segment_unref);
  g_clear_pointer (&self->fixed_segment, tc_segment_unref);
  g_free (self->original_name);

  G_OBJECT_CLASS (tc_segment_builder_parent_class)->finalize (object);
}

static void
tc_segment_builder_class_init (TcSegmentBuilderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tc_segment_builder_dispose;
  object_class->finalize = tc_segment_builder_finalize;

  /**
   * TcSegmentBuilder::saved:
   * @name: the segment's name as saved
   *
   * The segment was saved; the window closes next.
   */
  signals[SIGNAL_SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tc_segment_builder_init (TcSegmentBuilder *self)
{
  self->cancellable = g_cancellable_new ();
  adw_window_set_content (ADW_WINDOW (self), build_content (self));
  gtk_window_set_default_size (GTK_WINDOW (self), 720, 760);
}

TcSegmentBuilder *
tc_segment_builder_new (GtkWindow    *parent,
                        TcRepository *repository,
                        const char   *name)
{
  TcSegmentBuilder *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);

  self = g_object_new (TC_TYPE_SEGMENT_BUILDER,
                       "modal", TRUE,
                       "transient-for", parent,
                       "title", name != NULL ? name : _("New Segment"),
                       NULL);
  self->repository = g_object_ref (repository);

  if (name != NULL)
    {
      self->original_name = g_strdup (name);
      self->loading = TRUE;
      adw_window_title_set_title (ADW_WINDOW_TITLE (self->window_title), name);
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
      gtk_widget_set_sensitive (self->conditions_group, FALSE);
      gtk_widget_set_sensitive (self->add_box, FALSE);
      tc_segment_store_get_async (repository, name, self->cancellable, get_cb, g_object_ref (self));
    }
  else
    {
      add_condition (self, self->list, TC_SEGMENT_ROW_FIELD);
      schedule_update (self);
    }
  gtk_widget_grab_focus (self->name_row);

  return self;
}
