/* tc-secrets.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Credentials in the environment or the Secret Service. Every keyring call
 * runs under a cancellable of its own that a timer cancels, so a keyring
 * that never answers (a locked collection waiting on a prompt no one sees
 * under Xvfb) ends in a plain-words error instead of a hang; and without a
 * session bus nothing is tried at all, because GDBus would otherwise
 * "autolaunch" a bus of its own with dbus-launch.
 */

#define G_LOG_DOMAIN "tc-secrets"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "tc-secrets.h"

/* A token is a line of printable text; this bounds what is stored. */
#define MAX_SECRET_BYTES 4096

G_DEFINE_QUARK (tc-secrets-error-quark, tc_secrets_error)

static const SecretSchema schema = {
  TC_SECRETS_SCHEMA_NAME, SECRET_SCHEMA_NONE,
  {
    { "name", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
  0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
};

static const struct {
  const char *name;
  const char *env_var;
  const char *description;
} secret_names[TC_SECRET_N_NAMES] = {
  [TC_SECRET_TWILIO_AUTH_TOKEN] = { "twilio.auth_token", "TEXTCAST_TWILIO_AUTH_TOKEN",
                                    N_("Twilio auth token") },
  [TC_SECRET_WHATSAPP_TOKEN] = { "whatsapp.token", "TEXTCAST_WHATSAPP_TOKEN",
                                 N_("WhatsApp access token") },
  [TC_SECRET_WHATSAPP_APP_SECRET] = { "whatsapp.app_secret", "TEXTCAST_WHATSAPP_APP_SECRET",
                                      N_("Meta app secret") },
  [TC_SECRET_WHATSAPP_VERIFY_TOKEN] = { "whatsapp.verify_token", "TEXTCAST_WHATSAPP_VERIFY_TOKEN",
                                        N_("WhatsApp webhook verify token") },
  [TC_SECRET_EVENTS_TOKEN] = { "events.token", "TEXTCAST_EVENTS_TOKEN",
                               N_("events endpoint token") },
  [TC_SECRET_SHOPIFY_WEBHOOK_SECRET] = { "shopify.webhook_secret",
                                         "TEXTCAST_SHOPIFY_WEBHOOK_SECRET",
                                         N_("Shopify webhook secret") },
  [TC_SECRET_WOOCOMMERCE_WEBHOOK_SECRET] = { "woocommerce.webhook_secret",
                                             "TEXTCAST_WOOCOMMERCE_WEBHOOK_SECRET",
                                             N_("WooCommerce webhook secret") },
};

static guint timeout_ms = TC_SECRETS_DEFAULT_TIMEOUT_MS;

const char *
tc_secret_name_to_string (TcSecretName name)
{
  g_return_val_if_fail ((guint) name < TC_SECRET_N_NAMES, NULL);

  return secret_names[name].name;
}

const char *
tc_secret_name_env_var (TcSecretName name)
{
  g_return_val_if_fail ((guint) name < TC_SECRET_N_NAMES, NULL);

  return secret_names[name].env_var;
}

const char *
tc_secret_name_describe (TcSecretName name)
{
  g_return_val_if_fail ((guint) name < TC_SECRET_N_NAMES, NULL);

  return _(secret_names[name].description);
}

const char *
tc_secret_source_to_string (TcSecretSource source)
{
  switch (source)
    {
    case TC_SECRET_SOURCE_ENVIRONMENT:
      return "environment";
    case TC_SECRET_SOURCE_KEYRING:
      return "keyring";
    case TC_SECRET_SOURCE_NONE:
    default:
      return "none";
    }
}

char *
tc_secrets_get_env (TcSecretName name)
{
  const char *value;
  char *copy;

  g_return_val_if_fail ((guint) name < TC_SECRET_N_NAMES, NULL);

  value = g_getenv (secret_names[name].env_var);
  if (value == NULL)
    return NULL;

  copy = g_strstrip (g_strdup (value));
  if (copy[0] == '\0')
    g_clear_pointer (&copy, g_free);

  return copy;
}

gboolean
tc_secrets_have_session_bus (void)
{
  const char *address = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  const char *runtime_dir;
  g_autofree char *socket = NULL;

  if (address != NULL && address[0] != '\0')
    return TRUE;

  /* Where systemd's user bus lives; GDBus looks there too. */
  runtime_dir = g_getenv ("XDG_RUNTIME_DIR");
  if (runtime_dir == NULL || runtime_dir[0] == '\0')
    return FALSE;
  socket = g_build_filename (runtime_dir, "bus", NULL);

  return g_file_test (socket, G_FILE_TEST_EXISTS) &&
         !g_file_test (socket, G_FILE_TEST_IS_DIR) &&
         !g_file_test (socket, G_FILE_TEST_IS_REGULAR);
}

void
tc_secrets_set_timeout (guint new_timeout_ms)
{
  g_return_if_fail (new_timeout_ms > 0);

  timeout_ms = new_timeout_ms;
}

guint
tc_secrets_get_timeout (void)
{
  return timeout_ms;
}

static GError *
no_keyring_error (TcSecretName name)
{
  return g_error_new (TC_SECRETS_ERROR, TC_SECRETS_ERROR_NO_KEYRING,
                      _("No keyring is running; set %s or log in to a desktop session"),
                      secret_names[name].env_var);
}

/* ------------------------------------------------------------------------
 * One keyring call with a time limit
 */

typedef enum
{
  OP_LOOKUP,
  OP_STORE,
  OP_CLEAR,
} OpKind;

typedef struct
{
  OpKind         kind;
  TcSecretName   name;
  char          *account;
  GCancellable  *cancellable;   /* ours: cancelled by the timer or the caller's */
  GCancellable  *caller_cancellable;
  gulong         caller_handler;
  GSource       *timeout_source;
  gboolean       timed_out;
  /* lookup: the environment's value, if any, and whether to use it */
  gboolean       with_env;
} Op;

static void
op_stop_watching (Op *op)
{
  if (op->timeout_source != NULL)
    {
      g_source_destroy (op->timeout_source);
      g_clear_pointer (&op->timeout_source, g_source_unref);
    }
  if (op->caller_handler != 0)
    {
      g_cancellable_disconnect (op->caller_cancellable, op->caller_handler);
      op->caller_handler = 0;
    }
}

static void
op_free (Op *op)
{
  op_stop_watching (op);
  g_free (op->account);
  g_clear_object (&op->cancellable);
  g_clear_object (&op->caller_cancellable);
  g_free (op);
}

static gboolean
on_timeout_cb (gpointer user_data)
{
  Op *op = user_data;

  op->timed_out = TRUE;
  g_cancellable_cancel (op->cancellable);

  return G_SOURCE_REMOVE;
}

static void
on_caller_cancelled_cb (GCancellable *caller,
                        gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static GTask *
op_task_new (OpKind               kind,
             TcSecretName         name,
             const char          *account,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             source_tag)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Op *op = g_new0 (Op, 1);

  g_task_set_source_tag (task, source_tag);
  g_task_set_return_on_cancel (task, FALSE);

  op->kind = kind;
  op->name = name;
  op->account = g_strdup (account != NULL ? account : "");
  op->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);

  return task;
}

/* Arms the timer and the caller's cancellable once the call is about to
 * start. */
static void
op_start_watching (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  GCancellable *caller = g_task_get_cancellable (task);

  op->timeout_source = g_timeout_source_new (timeout_ms);
  g_source_set_callback (op->timeout_source, on_timeout_cb, op, NULL);
  g_source_set_static_name (op->timeout_source, "[textcast] keyring timeout");
  g_source_attach (op->timeout_source, g_main_context_get_thread_default ());

  if (caller != NULL)
    {
      op->caller_cancellable = g_object_ref (caller);
      op->caller_handler = g_cancellable_connect (caller, G_CALLBACK (on_caller_cancelled_cb),
                                                  g_object_ref (op->cancellable),
                                                  g_object_unref);
    }
}

static const char *
verb (OpKind kind)
{
  switch (kind)
    {
    case OP_STORE:
      return _("store");
    case OP_CLEAR:
      return _("remove");
    case OP_LOOKUP:
    default:
      return _("read");
    }
}

/* Turns libsecret's and GDBus's errors into plain words; takes @error. */
static GError *
op_translate_error (Op     *op,
                    GError *error)
{
  GError *plain;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (!op->timed_out)
        return error;

      plain = g_error_new (TC_SECRETS_ERROR, TC_SECRETS_ERROR_TIMEOUT,
                           _("The keyring did not answer within %u seconds when asked to %s the "
                             "%s. It may be locked: unlock it (Passwords and Keys), or set %s"),
                           (timeout_ms + 999) / 1000, verb (op->kind),
                           _(secret_names[op->name].description),
                           secret_names[op->name].env_var);
    }
  else if (error->domain == G_DBUS_ERROR ||
           (error->domain == G_IO_ERROR && error->code != G_IO_ERROR_CANCELLED))
    {
      /* No service file for org.freedesktop.secrets, a bus that went away,
       * a daemon that could not be started: there is no keyring to use. */
      g_debug ("No Secret Service: %s", error->message);
      plain = no_keyring_error (op->name);
    }
  else if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    plain = g_error_new (TC_SECRETS_ERROR, TC_SECRETS_ERROR_FAILED,
                         _("The keyring is locked, so the %s cannot be read: unlock it "
                           "(Passwords and Keys), or set %s"),
                         _(secret_names[op->name].description), secret_names[op->name].env_var);
  else
    plain = g_error_new (TC_SECRETS_ERROR, TC_SECRETS_ERROR_FAILED,
                         _("The keyring refused to %s the %s: %s"),
                         verb (op->kind), _(secret_names[op->name].description), error->message);

  g_error_free (error);

  return plain;
}

static void
lookup_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;
  char *value;

  op_stop_watching (op);

  value = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, op_translate_error (op, error));
      return;
    }

  if (value == NULL)
    g_task_return_pointer (task, NULL, NULL);
  else
    {
      char *copy = g_strdup (value);

      /* libsecret wipes its copy. */
      secret_password_free (value);
      g_task_return_pointer (task, copy, g_free);
    }
}

static void
start_lookup (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  if (!tc_secrets_have_session_bus ())
    {
      g_task_return_error (task, no_keyring_error (op->name));
      g_object_unref (task);
      return;
    }

  op_start_watching (task);
  secret_password_lookup (&schema, op->cancellable, lookup_done_cb, task,
                          "name", secret_names[op->name].name,
                          "account", op->account,
                          NULL);
}

void
tc_secrets_lookup_keyring_async (TcSecretName         name,
                                 const char          *account,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;

  g_return_if_fail ((guint) name < TC_SECRET_N_NAMES);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = op_task_new (OP_LOOKUP, name, account, cancellable, callback, user_data,
                      tc_secrets_lookup_keyring_async);
  start_lookup (task);
}

char *
tc_secrets_lookup_keyring_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        tc_secrets_lookup_keyring_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  char           *value;
  TcSecretSource  source;
} Found;

static void
found_free (Found *found)
{
  g_free (found->value);
  g_free (found);
}

static void
lookup_any_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  Found *found = g_new0 (Found, 1);

  found->value = tc_secrets_lookup_keyring_finish (result, &error);
  if (error != NULL)
    {
      found_free (found);
      g_task_return_error (task, error);
      return;
    }

  found->source = found->value != NULL ? TC_SECRET_SOURCE_KEYRING : TC_SECRET_SOURCE_NONE;
  g_task_return_pointer (task, found, (GDestroyNotify) found_free);
}

void
tc_secrets_lookup_async (TcSecretName         name,
                         const char          *account,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;
  char *env_value;

  g_return_if_fail ((guint) name < TC_SECRET_N_NAMES);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_secrets_lookup_async);

  env_value = tc_secrets_get_env (name);
  if (env_value != NULL)
    {
      Found *found = g_new0 (Found, 1);

      found->value = env_value;
      found->source = TC_SECRET_SOURCE_ENVIRONMENT;
      g_task_return_pointer (task, found, (GDestroyNotify) found_free);
      g_object_unref (task);
      return;
    }

  tc_secrets_lookup_keyring_async (name, account, cancellable, lookup_any_done_cb, task);
}

char *
tc_secrets_lookup_finish (GAsyncResult    *result,
                          TcSecretSource  *source,
                          GError         **error)
{
  Found *found;
  char *value;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_secrets_lookup_async, NULL);

  if (source != NULL)
    *source = TC_SECRET_SOURCE_NONE;

  found = g_task_propagate_pointer (G_TASK (result), error);
  if (found == NULL)
    return NULL;

  if (source != NULL)
    *source = found->source;
  value = g_steal_pointer (&found->value);
  found_free (found);

  return value;
}

/* ------------------------------------------------------------------------
 * Store and clear
 */

static void
bool_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  op_stop_watching (op);

  if (op->kind == OP_STORE)
    secret_password_store_finish (result, &error);
  else
    secret_password_clear_finish (result, &error); /* FALSE without error: nothing to remove */

  if (error != NULL)
    g_task_return_error (task, op_translate_error (op, error));
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
is_storable (const char *value)
{
  gsize length = strlen (value);

  if (length == 0 || length > MAX_SECRET_BYTES || !g_utf8_validate (value, -1, NULL))
    return FALSE;

  for (const char *p = value; *p != '\0'; p++)
    if (g_ascii_iscntrl (*p))
      return FALSE;

  return TRUE;
}

void
tc_secrets_store_async (TcSecretName         name,
                        const char          *account,
                        const char          *value,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autofree char *label = NULL;
  GTask *task;
  Op *op;

  g_return_if_fail ((guint) name < TC_SECRET_N_NAMES);
  g_return_if_fail (value != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = op_task_new (OP_STORE, name, account, cancellable, callback, user_data,
                      tc_secrets_store_async);
  op = g_task_get_task_data (task);

  if (!is_storable (value))
    {
      g_task_return_new_error (task, TC_SECRETS_ERROR, TC_SECRETS_ERROR_INVALID,
                               _("The %s must be one line of text of at most %d bytes"),
                               _(secret_names[name].description), MAX_SECRET_BYTES);
      g_object_unref (task);
      return;
    }

  if (!tc_secrets_have_session_bus ())
    {
      g_task_return_error (task, no_keyring_error (name));
      g_object_unref (task);
      return;
    }

  /* The label is what people see in Passwords and Keys. */
  if (op->account[0] != '\0')
    label = g_strdup_printf ("Textcast: %s (%s)", _(secret_names[name].description), op->account);
  else
    label = g_strdup_printf ("Textcast: %s", _(secret_names[name].description));

  op_start_watching (task);
  secret_password_store (&schema, SECRET_COLLECTION_DEFAULT, label, value,
                         op->cancellable, bool_done_cb, task,
                         "name", secret_names[name].name,
                         "account", op->account,
                         NULL);
}

gboolean
tc_secrets_store_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_secrets_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tc_secrets_clear_async (TcSecretName         name,
                        const char          *account,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;
  Op *op;

  g_return_if_fail ((guint) name < TC_SECRET_N_NAMES);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = op_task_new (OP_CLEAR, name, account, cancellable, callback, user_data,
                      tc_secrets_clear_async);
  op = g_task_get_task_data (task);

  if (!tc_secrets_have_session_bus ())
    {
      g_task_return_error (task, no_keyring_error (name));
      g_object_unref (task);
      return;
    }

  op_start_watching (task);
  secret_password_clear (&schema, op->cancellable, bool_done_cb, task,
                         "name", secret_names[name].name,
                         "account", op->account,
                         NULL);
}

gboolean
tc_secrets_clear_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_secrets_clear_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
