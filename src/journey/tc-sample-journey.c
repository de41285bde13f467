/* tc-sample-journey.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-sample-journey"

#include "config.h"


#include "tc-contact.h"
#include "tc-events.h"
#include "tc-journey-library.h"
#include "tc-journey-runner.h"
#include "tc-journey-store.h"
#include "tc-sample-journey.h"

typedef struct
{
  gint64 now;
  gint64 journey_id;
  guint  n_enrolled;
} CreateData;

static void
on_ticked_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CreateData *data = g_task_get_task_data (task);
  TcJourneyTick tick = { 0, };
  GError *error = NULL;

  if (!tc_journey_runner_tick_finish (TC_REPOSITORY (object), result, &tick, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  data->n_enrolled = tick.enrolled;
  g_debug ("Sample journey %" G_GINT64_FORMAT ": %u shoppers entered", data->journey_id, tick.enrolled);
  g_task_return_boolean (task, TRUE);
}

static void
on_events_recorded_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  CreateData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) outcomes = NULL;
  TcJourneyTickOptions options = { 0, };
  GError *error = NULL;

  outcomes = tc_events_record_batch_finish (TC_REPOSITORY (object), result, &error);
  if (outcomes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  options.now = data->now;
  tc_journey_runner_tick_async (TC_REPOSITORY (object), &options, cancellable,
                                on_ticked_cb, g_steal_pointer (&task));
}

static const char *
currency_for (const char *phone)
{
  if (g_str_has_prefix (phone, "+1"))
    return "USD";
  if (g_str_has_prefix (phone, "+44"))
    return "GBP";
  return "EUR";
}

static void
on_contacts_listed_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  CreateData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_event_free);
  /* Cart totals that look like a shop's. */
  static const double values[] = { 89.50, 42.00, 134.90, 27.99, 64.00, 210.00 };
  GError *error = NULL;

  contacts = tc_repository_list_contacts_finish (TC_REPOSITORY (object), result, &error);
  if (contacts == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (contacts->len == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  for (guint i = 0; i < contacts->len; i++)
    {
      TcContact *contact = g_ptr_array_index (contacts, i);
      g_autofree char *token = g_strdup_printf ("sample%04u", i + 1);
      TcEvent *event = tc_event_new ("cart_abandoned", tc_contact_get_phone (contact));

      event->key = g_strdup_printf ("sample:cart_abandoned:%s", token);
      event->source = g_strdup ("sample");
      /* Left over the last half hour, a few minutes apart. */
      event->occurred_at = data->now - 60 * (5 + 4 * (gint64) i);
      event->properties = g_strdup_printf ("{\"cart_token\":\"%s\","
                                           "\"cart_url\":\"https://shop.example.com/cart/%s\","
                                           "\"image_url\":\"https://shop.example.com/images/cart-%s.jpg\","
                                           "\"value\":%.2f,\"currency\":\"%s\"}",
                                           token, token, token, values[i % G_N_ELEMENTS (values)],
                                           currency_for (tc_contact_get_phone (contact)));
      g_ptr_array_add (events, event);
    }
  tc_events_record_batch_async (TC_REPOSITORY (object), events, NULL, cancellable,
                                on_events_recorded_cb, g_steal_pointer (&task));
}

static void
on_activated_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GPtrArray) problems = NULL;
  GError *error = NULL;
  int version = 0;

  if (!tc_journey_store_activate_finish (TC_REPOSITORY (object), result, &version, &problems, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  tc_repository_list_contacts_async (TC_REPOSITORY (object), NULL, NULL, 0, TC_SAMPLE_JOURNEY_SHOPPERS,
                                     cancellable, on_contacts_listed_cb,
                                     g_steal_pointer (&task));
}

static void
on_journey_created_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  CreateData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->journey_id = tc_journey_library_create_finish (TC_REPOSITORY (object), result, NULL, &error);
  if (data->journey_id <= 0)
    {
      g_task_return_error (task, error);
      return;
    }
  tc_journey_store_activate_async (TC_REPOSITORY (object), data->journey_id, cancellable,
                                   on_activated_cb, g_steal_pointer (&task));
}

void
tc_sample_journey_create_async (TcRepository        *repository,
                                gint64               now,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CreateData *data;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (repository, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_sample_journey_create_async);
  data = g_new0 (CreateData, 1);
  data->now = now > 0 ? now : g_get_real_time () / G_USEC_PER_SEC;
  g_task_set_task_data (task, data, g_free);

  tc_journey_library_create_async (repository, TC_SAMPLE_JOURNEY_NAME, cancellable, on_journey_created_cb,
                                   g_steal_pointer (&task));
}

gboolean
tc_sample_journey_create_finish (TcRepository  *repository,
                                 GAsyncResult  *result,
                                 gint64        *journey_id,
                                 guint         *n_enrolled,
                                 GError       **error)
{
  CreateData *data;

  g_return_val_if_fail (TC_IS_REPOSITORY (repository), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, repository), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_sample_journey_create_async, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  data = g_task_get_task_data (G_TASK (result));
  if (journey_id != NULL)
    *journey_id = data->journey_id;
  if (n_enrolled != NULL)
    *n_enrolled = data->n_enrolled;
  return TRUE;
}
