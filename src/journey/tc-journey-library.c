/* tc-journey-library.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ready-made journeys, built through the same editing API the editor
 * uses (so they are checked like anything a person draws), and the
 * templates they send. Template texts are Mustache over the contact, the
 * workspace's brand and the trigger event's properties ("event.cart_url"),
 * which the runner passes as the enrollment's context.
 */

#define G_LOG_DOMAIN "tc-journey-library"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tc-journey-library.h"
#include "tc-journey-store.h"
#include "tc-template-store.h"
#include "tc-template.h"
#include "tc-wa-template.h"

static const TcJourneyLibraryEntry entries[] = {
  { "cart_abandonment", N_("Cart abandonment"),
    N_("When a cart is abandoned: an SMS reminder after an hour, and if they have not bought a "
       "day later, a WhatsApp message with a picture and a button back to the cart.") },
  { "back_in_stock", N_("Back in stock"),
    N_("When a product someone asked about is back: a WhatsApp message with its picture and a "
       "button to buy it (SMS for those WhatsApp cannot reach).") },
  { "welcome", N_("Welcome"),
    N_("When someone confirms their SMS subscription (double opt-in): a welcome text, and two "
       "days later a first-order offer.") },
  { "post_purchase_feedback", N_("Post-purchase feedback"),
    N_("Three days after an order: a request for feedback on the channel the customer prefers.") },
  { "birthday_offer", N_("Birthday offer"),
    N_("On each contact’s birthday at 10:00 their time: a WhatsApp offer (SMS for those "
       "WhatsApp cannot reach).") },
};

guint
tc_journey_library_get_n_entries (void)
{
  return G_N_ELEMENTS (entries);
}

const TcJourneyLibraryEntry *
tc_journey_library_get_entry (guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (entries), NULL);

  return &entries[index];
}

const TcJourneyLibraryEntry *
tc_journey_library_lookup (const char *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (entries); i++)
    if (strcmp (entries[i].name, name) == 0)
      return &entries[i];

  return NULL;
}

/* ------------------------------------------------------------------------
 * Building
 */

typedef struct
{
  TcJourney *journey;
  GError    *error;
} Builder;

static void
add (Builder           *b,
     const char        *id,
     TcJourneyNodeKind  kind,
     const char        *label,
     double             x,
     double             y,
     const char        *config_json)
{
  g_autoptr(JsonNode) config = NULL;

  if (b->error != NULL)
    return;
  config = json_from_string (config_json, &b->error);
  if (config == NULL)
    return;
  tc_journey_add_node (b->journey, id, kind, label, x, y, json_node_get_object (config),
                       &b->error);
}

static void
join (Builder    *b,
      const char *from,
      const char *port,
      const char *to)
{
  if (b->error == NULL)
    tc_journey_connect (b->journey, from, port, to, &b->error);
}

static void
end_at (Builder    *b,
        const char *id,
        const char *port)
{
  if (b->error == NULL)
    tc_journey_set_port_ends (b->journey, id, port, TRUE, &b->error);
}

static void
goal (Builder    *b,
      const char *event)
{
  if (b->error == NULL)
    tc_journey_add_goal (b->journey, event, NULL, &b->error);
}

static void
build_cart_abandonment (Builder *b)
{
  add (b, "trigger", TC_JOURNEY_NODE_TRIGGER, _("Cart abandoned"), 0, 72,
       "{\"event\":\"cart_abandoned\"}");
  add (b, "wait-1h", TC_JOURNEY_NODE_WAIT, _("Wait 1 hour"), 272, 72, "{\"duration\":3600}");
  add (b, "sms-reminder", TC_JOURNEY_NODE_SEND_SMS, _("SMS reminder"), 544, 48,
       "{\"template\":\"cart_reminder_sms\",\"purpose\":\"promotional\"}");
  add (b, "wait-23h", TC_JOURNEY_NODE_WAIT, _("Wait 23 hours"), 816, 72, "{\"duration\":82800}");
  add (b, "purchased", TC_JOURNEY_NODE_BRANCH, _("Ordered since?"), 1088, 48,
       "{\"condition\":{\"event\":\"order_placed\"}}");
  add (b, "exit-purchased", TC_JOURNEY_NODE_EXIT, _("Bought"), 1360, 0, "{}");
  add (b, "whatsapp-followup", TC_JOURNEY_NODE_SEND_WHATSAPP, _("WhatsApp with picture"),
       1360, 96, "{\"template\":\"cart_followup_whatsapp\",\"purpose\":\"promotional\"}");
  add (b, "exit", TC_JOURNEY_NODE_EXIT, C_("journey step", "Done"), 1632, 72, "{}");
  join (b, "trigger", "next", "wait-1h");
  join (b, "wait-1h", "next", "sms-reminder");
  /* Someone SMS cannot reach may still be reached on WhatsApp. */
  join (b, "sms-reminder", "sent", "wait-23h");
  join (b, "sms-reminder", "skipped", "wait-23h");
  join (b, "wait-23h", "next", "purchased");
  join (b, "purchased", "yes", "exit-purchased");
  join (b, "purchased", "no", "whatsapp-followup");
  join (b, "whatsapp-followup", "sent", "exit");
  end_at (b, "whatsapp-followup", "skipped");
  goal (b, "order_placed");
  if (b->error == NULL)
    tc_journey_set_reentry (b->journey, TC_JOURNEY_REENTRY_ONCE_PER_DAYS, 7);
}

static void
build_back_in_stock (Builder *b)
{
  add (b, "trigger", TC_JOURNEY_NODE_TRIGGER, _("Back in stock"), 0, 24,
       "{\"event\":\"back_in_stock\"}");
  add (b, "whatsapp-back", TC_JOURNEY_NODE_SEND_WHATSAPP, _("WhatsApp with picture"), 272, 0,
       "{\"template\":\"back_in_stock_whatsapp\",\"purpose\":\"promotional\","
       "\"fallback\":{\"template\":\"back_in_stock_sms\","
       "\"on\":[\"no_consent\",\"not_on_whatsapp\"]}}");
  add (b, "exit", TC_JOURNEY_NODE_EXIT, C_("journey step", "Done"), 544, 24, "{}");
  join (b, "trigger", "next", "whatsapp-back");
  join (b, "whatsapp-back", "sent", "exit");
  end_at (b, "whatsapp-back", "skipped");
  goal (b, "order_placed");
  if (b->error == NULL)
    tc_journey_set_reentry (b->journey, TC_JOURNEY_REENTRY_EVERY_TIME, 0);
}

static void
build_welcome (Builder *b)
{
  add (b, "trigger", TC_JOURNEY_NODE_TRIGGER, _("Subscribed by SMS"), 0, 24,
       "{\"event\":\"opted_in\",\"channel\":\"sms\"}");
  add (b, "sms-welcome", TC_JOURNEY_NODE_SEND_SMS, _("Welcome text"), 272, 0,
       "{\"template\":\"welcome_sms\",\"purpose\":\"promotional\"}");
  add (b, "wait-2d", TC_JOURNEY_NODE_WAIT, _("Wait 2 days"), 544, 24,
       "{\"duration\":172800}");
  add (b, "sms-offer", TC_JOURNEY_NODE_SEND_SMS, _("First-order offer"), 816, 0,
       "{\"template\":\"welcome_offer_sms\",\"purpose\":\"promotional\"}");
  add (b, "exit", TC_JOURNEY_NODE_EXIT, C_("journey step", "Done"), 1088, 24, "{}");
  join (b, "trigger", "next", "sms-welcome");
  join (b, "sms-welcome", "sent", "wait-2d");
  end_at (b, "sms-welcome", "skipped");
  join (b, "wait-2d", "next", "sms-offer");
  join (b, "sms-offer", "sent", "exit");
  end_at (b, "sms-offer", "skipped");
  goal (b, "order_placed");
  if (b->error == NULL)
    tc_journey_set_reentry (b->journey, TC_JOURNEY_REENTRY_ONCE, 0);
}

static void
build_post_purchase_feedback (Builder *b)
{
  add (b, "trigger", TC_JOURNEY_NODE_TRIGGER, _("Order placed"), 0, 24,
       "{\"event\":\"order_placed\"}");
  add (b, "wait-3d", TC_JOURNEY_NODE_WAIT, _("Wait 3 days"), 272, 24,
       "{\"duration\":259200}");
  add (b, "ask-feedback", TC_JOURNEY_NODE_SEND_PREFERRED, _("Ask for feedback"), 544, 0,
       "{\"sms_template\":\"feedback_request_sms\","
       "\"whatsapp_template\":\"feedback_request_whatsapp\",\"purpose\":\"transactional\"}");
  add (b, "exit", TC_JOURNEY_NODE_EXIT, C_("journey step", "Done"), 816, 24, "{}");
  join (b, "trigger", "next", "wait-3d");
  join (b, "wait-3d", "next", "ask-feedback");
  join (b, "ask-feedback", "sent", "exit");
  end_at (b, "ask-feedback", "skipped");
  if (b->error == NULL)
    tc_journey_set_reentry (b->journey, TC_JOURNEY_REENTRY_EVERY_TIME, 0);
}

static void
build_birthday_offer (Builder *b)
{
  add (b, "trigger", TC_JOURNEY_NODE_TRIGGER, _("Birthday, 10:00"), 0, 24,
       "{\"event\":\"date_attribute\",\"attribute\":\"birthday\",\"time\":\"10:00\"}");
  add (b, "whatsapp-offer", TC_JOURNEY_NODE_SEND_WHATSAPP, _("Birthday offer"), 272, 0,
       "{\"template\":\"birthday_offer_whatsapp\",\"purpose\":\"promotional\","
       "\"fallback\":{\"template\":\"birthday_offer_sms\","
       "\"on\":[\"no_consent\",\"not_on_whatsapp\"]}}");
  add (b, "tag", TC_JOURNEY_NODE_UPDATE_CONTACT, _("Tag: birthday offer sent"), 544, 24,
       "{\"action\":\"add_tag\",\"tag\":\"birthday-offer\"}");
  add (b, "exit", TC_JOURNEY_NODE_EXIT, C_("journey step", "Done"), 816, 24, "{}");
  join (b, "trigger", "next", "whatsapp-offer");
  join (b, "whatsapp-offer", "sent", "tag");
  end_at (b, "whatsapp-offer", "skipped");
  join (b, "tag", "next", "exit");
  goal (b, "order_placed");
  if (b->error == NULL)
    tc_journey_set_reentry (b->journey, TC_JOURNEY_REENTRY_ONCE_PER_DAYS, 360);
}

TcJourney *
tc_journey_library_build (const char  *name,
                          GError     **error)
{
  static const struct
  {
    const char *name;
    void      (*build) (Builder *b);
  } builders[] = {
    { "cart_abandonment", build_cart_abandonment },
    { "back_in_stock", build_back_in_stock },
    { "welcome", build_welcome },
    { "post_purchase_feedback", build_post_purchase_feedback },
    { "birthday_offer", build_birthday_offer },
  };
  const TcJourneyLibraryEntry *entry;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  entry = tc_journey_library_lookup (name);
  if (entry == NULL)
    {
      g_set_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_NOT_FOUND,
                   _("There is no ready-made journey called “%s”; `textcast-cli journey "
                     "templates` lists them"), name != NULL ? name : "");
      return NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (builders); i++)
    if (strcmp (builders[i].name, name) == 0)
      {
        Builder b = { tc_journey_new (_(entry->title)), NULL };

        tc_journey_set_description (b.journey, _(entry->description));
        builders[i].build (&b);
        if (b.error != NULL)
          {
            /* The journeys above are fixed: an error is a bug here. */
            g_critical ("Ready-made journey %s does not build: %s", name, b.error->message);
            g_propagate_error (error, b.error);
            g_object_unref (b.journey);
            return NULL;
          }
        return b.journey;
      }

  g_assert_not_reached ();
}

/* ------------------------------------------------------------------------
 * Templates
 */

static TcTemplate *
sms_template (const char *name,
              TcPurpose   purpose,
              const char *body)
{
  TcTemplate *template = tc_template_new (TC_TEMPLATE_KIND_SMS, name);

  tc_template_set_body (template, body);
  tc_template_set_language (template, "en");
  tc_template_set_purpose (template, purpose);

  return template;
}

static TcTemplate *
whatsapp_template (TcWaTemplate *model,
                   TcPurpose     purpose)
{
  g_autoptr(JsonNode) definition = tc_wa_template_to_json (model);
  g_autofree char *text = json_to_string (definition, TRUE);
  TcTemplate *template = tc_template_new (TC_TEMPLATE_KIND_WHATSAPP,
                                          tc_wa_template_get_name (model));

  tc_template_set_definition (template, text);
  tc_template_set_language (template, tc_wa_template_get_language (model));
  tc_template_set_purpose (template, purpose);

  return template;
}

/* A marketing template with a picture, one parameter in its body and a
 * button to a page whose path ends with a parameter. */
static TcTemplate *
picture_template (const char *name,
                  const char *body,
                  const char *button,
                  const char *url,
                  const char *url_binding,
                  const char *picture_binding)
{
  g_autoptr(TcWaTemplate) model = tc_wa_template_new (name, "en", TC_WA_CATEGORY_MARKETING);

  tc_wa_template_set_header_format (model, TC_WA_HEADER_IMAGE);
  tc_wa_template_set_header_example (model, "https://shop.example.com/images/product.jpg");
  tc_wa_template_set_header_binding (model, picture_binding);
  tc_wa_template_set_body (model, body);
  tc_wa_template_set_body_param (model, 1, "Maria", "{{first_name|there}}");
  tc_wa_template_set_footer (model, "Reply STOP to unsubscribe");
  tc_wa_template_add_button (model, TC_WA_BUTTON_URL, button, url, "abc123", url_binding);

  return whatsapp_template (model, TC_PURPOSE_PROMOTIONAL);
}

GPtrArray *
tc_journey_library_dup_templates (const char *name)
{
  g_autoptr(GPtrArray) templates = NULL;

  if (tc_journey_library_lookup (name) == NULL)
    return NULL;

  templates = g_ptr_array_new_with_free_func (g_object_unref);

  if (strcmp (name, "cart_abandonment") == 0)
    {
      g_ptr_array_add (templates,
                       sms_template ("cart_reminder_sms", TC_PURPOSE_PROMOTIONAL,
                                     "Hi {{first_name|there}}, you left something in your cart "
                                     "at {{brand}}. Pick up where you left off: "
                                     "{{event.cart_url}}"));
      g_ptr_array_add (templates,
                       picture_template ("cart_followup_whatsapp",
                                         "Hi {{1}}, your cart is still waiting for you. The items "
                                         "you picked are saved, but stock is limited.",
                                         "Back to my cart", "https://shop.example.com/cart/{{1}}",
                                         "{{event.cart_token}}", "{{event.image_url}}"));
    }
  else if (strcmp (name, "back_in_stock") == 0)
    {
      g_ptr_array_add (templates,
                       picture_template ("back_in_stock_whatsapp",
                                         "Good news {{1}}: the product you asked about is back "
                                         "in stock. Get it before it sells out again.",
                                         "Buy now", "https://shop.example.com/products/{{1}}",
                                         "{{event.product_handle}}", "{{event.image_url}}"));
      g_ptr_array_add (templates,
                       sms_template ("back_in_stock_sms", TC_PURPOSE_PROMOTIONAL,
                                     "Good news {{first_name|there}}: {{event.product_name}} is "
                                     "back in stock at {{brand}}. {{event.product_url}}"));
    }
  else if (strcmp (name, "welcome") == 0)
    {
      g_ptr_array_add (templates,
                       sms_template ("welcome_sms", TC_PURPOSE_PROMOTIONAL,
                                     "Welcome to {{brand}}, {{first_name|there}}! Thanks for "
                                     "confirming. You will hear about offers and new arrivals "
                                     "here."));
      g_ptr_array_add (templates,
                       sms_template ("welcome_offer_sms", TC_PURPOSE_PROMOTIONAL,
                                     "{{first_name|there}}, here is 10% off your first order at "
                                     "{{brand}} with the code WELCOME10."));
    }
  else if (strcmp (name, "post_purchase_feedback") == 0)
    {
      g_autoptr(TcWaTemplate) model = tc_wa_template_new ("feedback_request_whatsapp", "en",
                                                          TC_WA_CATEGORY_UTILITY);

      g_ptr_array_add (templates,
                       sms_template ("feedback_request_sms", TC_PURPOSE_TRANSACTIONAL,
                                     "Hi {{first_name|there}}, how was your order from "
                                     "{{brand}}? Tell us in a minute: {{event.review_url}}"));
      tc_wa_template_set_body (model, "Hi {{1}}, thank you for your order {{2}}. How did we do? "
                                      "Your answer helps us improve.");
      tc_wa_template_set_body_param (model, 1, "Maria", "{{first_name|there}}");
      tc_wa_template_set_body_param (model, 2, "#1042", "{{event.order_number}}");
      tc_wa_template_add_button (model, TC_WA_BUTTON_URL, "Rate my order",
                                 "https://shop.example.com/review/{{1}}", "1042",
                                 "{{event.order_id}}");
      g_ptr_array_add (templates, whatsapp_template (model, TC_PURPOSE_TRANSACTIONAL));
    }
  else if (strcmp (name, "birthday_offer") == 0)
    {
      g_autoptr(TcWaTemplate) model = tc_wa_template_new ("birthday_offer_whatsapp", "en",
                                                          TC_WA_CATEGORY_MARKETING);

      tc_wa_template_set_header_format (model, TC_WA_HEADER_TEXT);
      tc_wa_template_set_header_text (model, "Happy birthday!");
      tc_wa_template_set_body (model, "Happy birthday {{1}}! Here is a gift from us: 20% off "
                                      "everything this week.");
      tc_wa_template_set_body_param (model, 1, "Maria", "{{first_name|there}}");
      tc_wa_template_set_footer (model, "Reply STOP to unsubscribe");
      tc_wa_template_add_button (model, TC_WA_BUTTON_COPY_CODE, "Copy code", NULL, "BDAY20",
                                 "BDAY20");
      g_ptr_array_add (templates, whatsapp_template (model, TC_PURPOSE_PROMOTIONAL));
      g_ptr_array_add (templates,
                       sms_template ("birthday_offer_sms", TC_PURPOSE_PROMOTIONAL,
                                     "Happy birthday, {{first_name|there}}! {{brand}} has a "
                                     "gift for you: 20% off everything this week with the code "
                                     "BDAY20."));
    }
  else
    g_assert_not_reached ();

  return g_steal_pointer (&templates);
}

/* ------------------------------------------------------------------------
 * Creating one in the workspace: the list of templates, each missing one
 * saved in turn, then the journey.
 */

typedef struct
{
  char      *name;
  TcJourney *journey;
  GPtrArray *missing;   /* (element-type TcTemplate) to save, in order */
  guint      next;
  GStrv      created;
} CreateData;

static void
create_data_free (CreateData *data)
{
  g_free (data->name);
  g_clear_object (&data->journey);
  g_clear_pointer (&data->missing, g_ptr_array_unref);
  g_strfreev (data->created);
  g_free (data);
}

typedef struct
{
  gint64 id;
  GStrv  created;
} CreateResult;

static void
create_result_free (CreateResult *result)
{
  g_strfreev (result->created);
  g_free (result);
}

static void save_next (GTask *task);

static void
on_journey_added_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CreateData *data = g_task_get_task_data (task);
  CreateResult *value;
  GError *error = NULL;
  gint64 id;

  id = tc_journey_store_add_finish (TC_REPOSITORY (object), result, &error);
  if (id == 0)
    {
      g_task_return_error (task, error);
      return;
    }

  value = g_new0 (CreateResult, 1);
  value->id = id;
  value->created = g_steal_pointer (&data->created);
  g_task_return_pointer (task, value, (GDestroyNotify) create_result_free);
}

static void
on_template_saved_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!tc_repository_save_template_finish (TC_REPOSITORY (object), result, NULL, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  save_next (task);
}

static void
save_next (GTask *task)
{
  CreateData *data = g_task_get_task_data (task);
  TcRepository *repository = g_task_get_source_object (task);

  if (data->next < data->missing->len)
    {
      TcTemplate *template = g_ptr_array_index (data->missing, data->next++);

      tc_repository_save_template_async (repository, template, g_task_get_cancellable (task),
                                         on_template_saved_cb, task);
      return;
    }

  tc_journey_store_add_async (repository, data->journey, data->name,
                              g_task_get_cancellable (task), on_journey_added_cb, task);
}

static void
on_templates_listed_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GTask *task = user_data;
  CreateData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) existing = NULL;
  g_autoptr(GPtrArray) needed = NULL;
  g_autoptr(GStrvBuilder) created = g_strv_builder_new ();
  GError *error = NULL;

  existing = tc_repository_list_templates_finish (TC_REPOSITORY (object), result, &error);
  if (existing == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  needed = tc_journey_library_dup_templates (data->name);
  data->missing = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < needed->len; i++)
    {
      TcTemplate *template = g_ptr_array_index (needed, i);
      g_autofree char *label = NULL;
      gboolean found = FALSE;

      for (guint j = 0; j < existing->len && !found; j++)
        {
          TcTemplate *other = g_ptr_array_index (existing, j);

          found = tc_template_get_kind (other) == tc_template_get_kind (template) &&
                  strcmp (tc_template_get_name (other), tc_template_get_name (template)) == 0;
        }
      if (found)
        continue;

      g_ptr_array_add (data->missing, g_object_ref (template));
      label = g_strdup_printf ("%s:%s",
                               tc_template_kind_to_string (tc_template_get_kind (template)),
                               tc_template_get_name (template));
      g_strv_builder_add (created, label);
    }
  data->created = g_strv_builder_end (created);

  save_next (task);
}

void
tc_journey_library_create_async (TcRepository        *repository,
                                 const char          *name,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CreateData *data;
  GError *error = NULL;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (repository, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_journey_library_create_async);
  g_task_set_check_cancellable (task, FALSE);

  data = g_new0 (CreateData, 1);
  data->name = g_strdup (name);
  g_task_set_task_data (task, data, (GDestroyNotify) create_data_free);

  data->journey = tc_journey_library_build (name, &error);
  if (data->journey == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  tc_repository_list_templates_async (repository, -1, cancellable, on_templates_listed_cb,
                                      g_steal_pointer (&task));
}

gint64
tc_journey_library_create_finish (TcRepository  *repository,
                                  GAsyncResult  *result,
                                  GStrv         *created_templates,
                                  GError       **error)
{
  CreateResult *value;
  gint64 id;

  g_return_val_if_fail (TC_IS_REPOSITORY (repository), 0);
  g_return_val_if_fail (g_task_is_valid (result, repository), 0);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_journey_library_create_async,
                        0);

  if (created_templates != NULL)
    *created_templates = NULL;
  value = g_task_propagate_pointer (G_TASK (result), error);
  if (value == NULL)
    return 0;

  id = value->id;
  if (created_templates != NULL)
    *created_templates = g_steal_pointer (&value->created);
  create_result_free (value);

  return id;
}
