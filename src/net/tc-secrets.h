/* tc-secrets.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Credentials: the providers' auth tokens and signing secrets. They live in
 * the Secret Service (the desktop keyring, through libsecret, schema
 * "io.github.textcast.Textcast" with the attributes "name" and "account"),
 * or — for headless use, and taking precedence — in the environment:
 *
 *   TEXTCAST_TWILIO_AUTH_TOKEN       the Twilio auth token
 *   TEXTCAST_WHATSAPP_TOKEN          the WhatsApp Cloud API access token
 *   TEXTCAST_WHATSAPP_APP_SECRET     the Meta app secret (webhook signatures)
 *   TEXTCAST_WHATSAPP_VERIFY_TOKEN   the webhook verify token
 *   TEXTCAST_EVENTS_TOKEN            the token of Textcast's events endpoint
 *   TEXTCAST_SHOPIFY_WEBHOOK_SECRET  the secret that signs Shopify's webhooks
 *   TEXTCAST_WOOCOMMERCE_WEBHOOK_SECRET  the secret of the WooCommerce webhooks
 *
 * Never in the database, never in a log: nothing here logs a value, and
 * error messages name the secret, never its contents.
 *
 * When no Secret Service can be reached (no D-Bus session bus, as under
 * Xvfb or in CI, or no keyring daemon on it) the calls fail at once with
 * TC_SECRETS_ERROR_NO_KEYRING in plain words; a keyring that does not
 * answer (a locked keyring waiting for a password nobody types) fails with
 * TC_SECRETS_ERROR_TIMEOUT after tc_secrets_get_timeout() milliseconds.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  TC_SECRET_TWILIO_AUTH_TOKEN,
  TC_SECRET_WHATSAPP_TOKEN,
  TC_SECRET_WHATSAPP_APP_SECRET,
  TC_SECRET_WHATSAPP_VERIFY_TOKEN,
  TC_SECRET_EVENTS_TOKEN,
  TC_SECRET_SHOPIFY_WEBHOOK_SECRET,
  TC_SECRET_WOOCOMMERCE_WEBHOOK_SECRET,
} TcSecretName;

#define TC_SECRET_N_NAMES (TC_SECRET_WOOCOMMERCE_WEBHOOK_SECRET + 1)

/* Where a secret was found. */
typedef enum
{
  TC_SECRET_SOURCE_NONE,
  TC_SECRET_SOURCE_ENVIRONMENT,
  TC_SECRET_SOURCE_KEYRING,
} TcSecretSource;

#define TC_SECRETS_SCHEMA_NAME "io.github.textcast.Textcast"

/* Default of tc_secrets_set_timeout(). */
#define TC_SECRETS_DEFAULT_TIMEOUT_MS 20000

#define TC_SECRETS_ERROR (tc_secrets_error_quark ())

/**
 * TcSecretsError:
 * @TC_SECRETS_ERROR_NO_KEYRING: no Secret Service can be reached
 * @TC_SECRETS_ERROR_TIMEOUT: the keyring did not answer in time (locked?)
 * @TC_SECRETS_ERROR_INVALID: the value cannot be stored (empty, not UTF-8,
 *   more than one line)
 * @TC_SECRETS_ERROR_FAILED: the keyring refused
 */
typedef enum
{
  TC_SECRETS_ERROR_NO_KEYRING,
  TC_SECRETS_ERROR_TIMEOUT,
  TC_SECRETS_ERROR_INVALID,
  TC_SECRETS_ERROR_FAILED,
} TcSecretsError;

GQuark          tc_secrets_error_quark     (void);

/* "twilio.auth_token", "whatsapp.token", "whatsapp.app_secret",
 * "whatsapp.verify_token", "events.token", "shopify.webhook_secret",
 * "woocommerce.webhook_secret": the "name" attribute. */
const char     *tc_secret_name_to_string   (TcSecretName    name);
/* The environment variable, e.g. "TEXTCAST_TWILIO_AUTH_TOKEN". */
const char     *tc_secret_name_env_var     (TcSecretName    name);
/* For people: "Twilio auth token", "WhatsApp access token", … */
const char     *tc_secret_name_describe    (TcSecretName    name);
/* "none", "environment", "keyring". */
const char     *tc_secret_source_to_string (TcSecretSource  source);

/* The value of @name's environment variable with surrounding blanks
 * removed, or NULL when unset or blank. */
char           *tc_secrets_get_env         (TcSecretName    name) G_GNUC_WARN_UNUSED_RESULT;

/* Whether a Secret Service may be reachable at all: a D-Bus session bus
 * is known (DBUS_SESSION_BUS_ADDRESS, or $XDG_RUNTIME_DIR/bus). FALSE
 * means every keyring call fails with TC_SECRETS_ERROR_NO_KEYRING. */
gboolean        tc_secrets_have_session_bus (void);

/* How long a keyring call may take, in milliseconds (> 0), for every
 * call started afterwards. */
void            tc_secrets_set_timeout     (guint           timeout_ms);
guint           tc_secrets_get_timeout     (void);

/* Looks @name up for @account ("" or NULL: not tied to an account): the
 * environment first, then the keyring. Finishes with the value, or NULL
 * and no error when neither has it; *@source says where it came from. A
 * keyring that cannot be reached is an error only when the environment
 * does not have the value. */
void            tc_secrets_lookup_async    (TcSecretName         name,
                                            const char          *account,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
char           *tc_secrets_lookup_finish   (GAsyncResult        *result,
                                            TcSecretSource      *source,
                                            GError             **error) G_GNUC_WARN_UNUSED_RESULT;

/* Looks @name up in the keyring only (not the environment). */
void            tc_secrets_lookup_keyring_async  (TcSecretName         name,
                                                  const char          *account,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
char           *tc_secrets_lookup_keyring_finish (GAsyncResult        *result,
                                                  GError             **error) G_GNUC_WARN_UNUSED_RESULT;

/* Stores @value in the keyring (the environment is never written). */
void            tc_secrets_store_async     (TcSecretName         name,
                                            const char          *account,
                                            const char          *value,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean        tc_secrets_store_finish    (GAsyncResult        *result,
                                            GError             **error);

/* Removes @name for @account from the keyring; removing what is not
 * there succeeds. */
void            tc_secrets_clear_async     (TcSecretName         name,
                                            const char          *account,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean        tc_secrets_clear_finish    (GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS
