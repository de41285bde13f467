/* tc-readiness-net.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The network half of the readiness check (tc-readiness-net.h): runs the
 * check, records what it found, and only then finishes, so that an
 * inspection started from the callback already sees it.
 */

#define G_LOG_DOMAIN "tc-readiness-net"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tc-readiness-net.h"
#include "tc-readiness.h"
#include "tc-repository.h"
#include "tc-settings.h"
#include "tc-soup.h"

typedef struct
{
  TcRepository *repository;
  char         *message;   /* what the check said */
  GError       *error;     /* or why it failed */
  SoupSession  *session;
  char         *url;
} Check;

static void
check_free (Check *check)
{
  g_clear_object (&check->repository);
  g_free (check->message);
  g_clear_error (&check->error);
  g_clear_object (&check->session);
  g_free (check->url);
  g_free (check);
}

static gint64
now_seconds (void)
{
  /* When the check ran, for the record; not the workspace's clock. */
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
on_recorded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Check *check = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* The check's own answer matters more than a failure to write it down. */
  if (!tc_readiness_record_test_finish (TC_REPOSITORY (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not record a readiness check: %s", error->message);

  if (check->error != NULL)
    g_task_return_error (task, g_steal_pointer (&check->error));
  else
    g_task_return_pointer (task, g_steal_pointer (&check->message), g_free);
}

static void
record (GTask      *task,
        const char *what)
{
  Check *check = g_task_get_task_data (task);

  tc_readiness_record_test_async (check->repository, what, check->error == NULL,
                                  check->error != NULL ? check->error->message : check->message,
                                  now_seconds (), g_task_get_cancellable (task),
                                  on_recorded_cb, task);
}

/* ------------------------------------------------------------------------
 * Provider
 */

static void
on_provider_tested_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;
  Check *check = g_task_get_task_data (task);
  TcProviderKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "kind"));

  check->message = tc_providers_test_finish (result, &check->error);
  if (kind == TC_PROVIDER_KIND_SIMULATOR ||
      g_error_matches (check->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (check->error != NULL)
        g_task_return_error (task, g_steal_pointer (&check->error));
      else
        g_task_return_pointer (task, g_steal_pointer (&check->message), g_free);
      g_object_unref (task);
      return;
    }

  record (task, tc_provider_kind_to_string (kind));
}

void
tc_readiness_test_provider_async (TcRepository        *repository,
                                  SoupSession         *session,
                                  TcProviderKind       kind,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  Check *check;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (kind < TC_PROVIDER_KIND_N);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_readiness_test_provider_async);
  check = g_new0 (Check, 1);
  check->repository = g_object_ref (repository);
  g_task_set_task_data (task, check, (GDestroyNotify) check_free);
  g_object_set_data (G_OBJECT (task), "kind", GINT_TO_POINTER (kind));

  tc_providers_test_async (repository, session, kind, cancellable, on_provider_tested_cb, task);
}

char *
tc_readiness_test_provider_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        tc_readiness_test_provider_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------
 * Webhooks
 */

static void
on_webhooks_answered_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GTask *task = user_data;
  Check *check = g_task_get_task_data (task);
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  const char *server;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
      g_set_error (&check->error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("%s did not answer (%s)."), check->url, error->message);
      g_error_free (error);
      record (task, "webhooks");
      return;
    }

  server = soup_message_headers_get_one (soup_message_get_response_headers (message), "Server");
  if (server != NULL && g_str_has_prefix (server, "Textcast"))
    check->message = g_strdup_printf (_("%s reaches Textcast."), check->url);
  else
    g_set_error (&check->error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 _("%s answered (HTTP %u), but not from Textcast: the tunnel or forwarding does "
                   "not lead to this computer’s Textcast, or Textcast was not open."),
                 check->url, soup_message_get_status (message));

  record (task, "webhooks");
}

static void
on_public_url_read_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;
  Check *check = g_task_get_task_data (task);
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *public_url = NULL;
  GError *error = NULL;

  public_url = tc_settings_get_finish (TC_REPOSITORY (object), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (public_url == NULL || public_url[0] == '\0')
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("No public URL is set: enter the address your provider’s "
                                 "webhooks should call in Preferences → Messages → Public URL "
                                 "for Webhooks (the setting http.public_url)."));
      g_object_unref (task);
      return;
    }

  while (g_str_has_suffix (public_url, "/"))
    public_url[strlen (public_url) - 1] = '\0';
  check->url = g_strconcat (public_url, "/webhooks/", NULL);
  message = soup_message_new (SOUP_METHOD_GET, check->url);
  if (message == NULL)
    {
      g_set_error (&check->error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("%s is not a web address."), public_url);
      record (task, "webhooks");
      return;
    }

  soup_session_send_and_read_async (check->session, message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), on_webhooks_answered_cb, task);
}

void
tc_readiness_check_webhooks_async (TcRepository        *repository,
                                   SoupSession         *session,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;
  Check *check;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (session == NULL || SOUP_IS_SESSION (session));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_readiness_check_webhooks_async);
  check = g_new0 (Check, 1);
  check->repository = g_object_ref (repository);
  check->session = session != NULL ? g_object_ref (session) : tc_soup_session_new ();
  g_task_set_task_data (task, check, (GDestroyNotify) check_free);

  tc_settings_get_async (repository, TC_SETTING_HTTP_PUBLIC_URL, cancellable,
                         on_public_url_read_cb, task);
}

char *
tc_readiness_check_webhooks_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        tc_readiness_check_webhooks_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
