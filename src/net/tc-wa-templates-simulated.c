/* tc-wa-templates-simulated.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Templates reviewed by the built-in simulator
 * (tc-wa-templates-simulated.h): the settings, the workspace's WhatsApp
 * templates, then per template a submission and a look at its status
 * through TcWaTemplatesClient, as with Meta, and the status stored.
 */

#define G_LOG_DOMAIN "tc-wa-templates"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "tc-settings.h"
#include "tc-simulator.h"
#include "tc-template-store.h"
#include "tc-template.h"
#include "tc-wa-template.h"
#include "tc-wa-templates-client.h"
#include "tc-wa-templates-simulated.h"

typedef struct
{
  GStrv                submit;
  gboolean             simulated;
  GPtrArray           *queue;      /* (element-type TcTemplate) to look at */
  guint                next;
  TcSimulator         *simulator;
  TcWaTemplatesClient *client;
  TcWaTemplate        *model;      /* the one in hand */
  GPtrArray           *states;     /* (element-type TcWaTemplateState) */
} ReviewData;

static void
review_data_free (ReviewData *data)
{
  g_strfreev (data->submit);
  g_clear_pointer (&data->queue, g_ptr_array_unref);
  if (data->simulator != NULL)
    tc_simulator_stop (data->simulator);
  g_clear_object (&data->simulator);
  g_clear_object (&data->client);
  g_clear_object (&data->model);
  g_clear_pointer (&data->states, g_ptr_array_unref);
  g_free (data);
}

static void review_next (GTask *task);

static void
finish_ok (GTask *task)
{
  ReviewData *data = g_task_get_task_data (task);

  if (data->simulator != NULL)
    tc_simulator_stop (data->simulator);
  g_task_return_pointer (task, g_ptr_array_ref (data->states), (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
fail (GTask  *task,
      GError *error)
{
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
on_stored_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!tc_wa_template_state_store_finish (TC_REPOSITORY (object), result, &error))
    {
      fail (task, error);
      return;
    }
  review_next (task);
}

static void
store (GTask             *task,
       TcWaTemplateState *state)
{
  ReviewData *data = g_task_get_task_data (task);
  TcTemplate *template = g_ptr_array_index (data->queue, data->next - 1);

  g_ptr_array_add (data->states, state);
  tc_wa_template_state_store_async (state, g_task_get_source_object (task),
                                    tc_template_get_id (template), g_task_get_cancellable (task),
                                    on_stored_cb, task);
}

static void
on_refreshed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  TcWaTemplateState *state;

  state = tc_wa_templates_client_refresh_finish (TC_WA_TEMPLATES_CLIENT (object), result, &error);
  if (state == NULL)
    {
      fail (task, error);
      return;
    }
  store (task, state);
}

static void
on_submitted_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  ReviewData *data = g_task_get_task_data (task);
  g_autoptr(TcWaTemplateState) submitted = NULL;
  GError *error = NULL;

  submitted = tc_wa_templates_client_submit_finish (data->client, result, &error);
  if (submitted == NULL)
    {
      TcWaTemplateState *state;

      if (!g_error_matches (error, TC_WA_CLIENT_ERROR, TC_WA_CLIENT_ERROR_INVALID))
        {
          fail (task, error);
          return;
        }
      /* Refused outright: nothing was created; say why on the template. */
      state = g_new0 (TcWaTemplateState, 1);
      state->id = g_strdup ("");
      state->name = g_strdup (tc_wa_template_get_name (data->model));
      state->language = g_strdup (tc_wa_template_get_language (data->model));
      state->status = g_strdup ("REJECTED");
      state->reason = g_strdup (error->message);
      state->category = g_strdup ("");
      g_error_free (error);
      store (task, state);
      return;
    }

  /* The simulator's review: the verdict shows at the first look. */
  tc_wa_templates_client_refresh_async (data->client, tc_wa_template_get_name (data->model),
                                        tc_wa_template_get_language (data->model),
                                        g_task_get_cancellable (task), on_refreshed_cb, task);
}

static void
review_next (GTask *task)
{
  ReviewData *data = g_task_get_task_data (task);
  TcTemplate *template;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;

  if (data->next >= data->queue->len)
    {
      finish_ok (task);
      return;
    }
  template = g_ptr_array_index (data->queue, data->next++);
  g_clear_object (&data->model);
  node = json_from_string (tc_template_get_definition (template), &error);
  if (node != NULL)
    data->model = tc_wa_template_new_from_json (node, &error);
  if (data->model == NULL)
    {
      /* A definition that does not read cannot be submitted: the same
       * as a refusal. */
      TcWaTemplateState *state = g_new0 (TcWaTemplateState, 1);

      state->id = g_strdup ("");
      state->name = g_strdup (tc_template_get_name (template));
      state->language = g_strdup (tc_template_get_language (template));
      state->status = g_strdup ("REJECTED");
      state->reason = g_strdup (error != NULL ? error->message : "");
      state->category = g_strdup ("");
      g_clear_error (&error);
      store (task, state);
      return;
    }

  tc_wa_templates_client_submit_async (data->client, data->model, g_task_get_cancellable (task),
                                       on_submitted_cb, task);
}

static void
on_listed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  ReviewData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) templates = NULL;
  TcSimulatorConfig config;
  GError *error = NULL;

  templates = tc_repository_list_templates_finish (TC_REPOSITORY (object), result, &error);
  if (templates == NULL)
    {
      fail (task, error);
      return;
    }

  data->queue = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < templates->len; i++)
    {
      TcTemplate *template = g_ptr_array_index (templates, i);
      const char *status = tc_template_get_status (template);

      if (g_strcmp0 (status, "pending") == 0 ||
          (g_strcmp0 (status, "draft") == 0 && data->submit != NULL &&
           g_strv_contains ((const char * const *) data->submit, tc_template_get_name (template))))
        g_ptr_array_add (data->queue, g_object_ref (template));
    }
  if (data->queue->len == 0)
    {
      finish_ok (task);
      return;
    }

  tc_simulator_config_init (&config);
  data->simulator = tc_simulator_new (&config);
  if (!tc_simulator_listen (data->simulator, "127.0.0.1", 0, &error))
    {
      fail (task, error);
      return;
    }
  data->client = tc_wa_templates_client_new (tc_simulator_get_base_url (data->simulator), NULL,
                                             "1");
  tc_wa_templates_client_set_token (data->client, "simulator");
  review_next (task);
}

static void
on_settings_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  ReviewData *data = g_task_get_task_data (task);
  g_autoptr(GHashTable) settings = NULL;
  GError *error = NULL;
  const char *provider;

  settings = tc_settings_get_all_finish (TC_REPOSITORY (object), result, &error);
  if (settings == NULL)
    {
      fail (task, error);
      return;
    }
  provider = g_hash_table_lookup (settings, TC_SETTING_PROVIDER_WHATSAPP);
  data->simulated = provider == NULL || provider[0] == '\0' || strcmp (provider, "simulator") == 0;
  if (!data->simulated)
    {
      finish_ok (task);
      return;
    }

  tc_repository_list_templates_async (TC_REPOSITORY (object), TC_TEMPLATE_KIND_WHATSAPP,
                                      g_task_get_cancellable (task), on_listed_cb, task);
}

void
tc_wa_templates_review_simulated_async (TcRepository        *repository,
                                        const char * const  *submit,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  GTask *task;
  ReviewData *data;

  g_return_if_fail (TC_IS_REPOSITORY (repository));

  task = g_task_new (repository, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_wa_templates_review_simulated_async);
  data = g_new0 (ReviewData, 1);
  data->submit = g_strdupv ((char **) submit);
  data->states = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_wa_template_state_free);
  g_task_set_task_data (task, data, (GDestroyNotify) review_data_free);

  tc_settings_get_all_async (repository, "provider.", cancellable, on_settings_cb, task);
}

GPtrArray *
tc_wa_templates_review_simulated_finish (TcRepository  *repository,
                                         GAsyncResult  *result,
                                         gboolean      *simulated,
                                         GError       **error)
{
  ReviewData *data;

  g_return_val_if_fail (g_task_is_valid (result, repository), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        tc_wa_templates_review_simulated_async, NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (simulated != NULL)
    *simulated = data->simulated;

  return g_task_propagate_pointer (G_TASK (result), error);
}
