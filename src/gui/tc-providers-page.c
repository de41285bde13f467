/* tc-providers-page.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-providers-page"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tc-providers-page.h"
#include "tc-providers.h"
#include "tc-readiness-net.h"
#include "tc-repository.h"
#include "tc-secrets.h"
#include "tc-settings.h"

typedef enum
{
  LOOK_NOTE,
  LOOK_ERROR,
  LOOK_SUCCESS,
} Look;

struct _TcProvidersPage
{
  AdwPreferencesPage   parent_instance;

  /* Template widgets */
  AdwPreferencesGroup *problem_group;
  GtkLabel            *problem_label;
  AdwComboRow         *sms_row;
  AdwComboRow         *whatsapp_row;
  GtkLabel            *channels_message;
  GtkButton           *twilio_test_button;
  AdwEntryRow         *account_sid_row;
  AdwEntryRow         *from_row;
  AdwEntryRow         *service_row;
  AdwEntryRow         *twilio_token_row;
  GtkLabel            *twilio_status;
  GtkLabel            *twilio_message;
  GtkButton           *whatsapp_test_button;
  AdwEntryRow         *phone_number_id_row;
  AdwEntryRow         *waba_row;
  AdwEntryRow         *whatsapp_token_row;
  AdwEntryRow         *app_secret_row;
  GtkLabel            *whatsapp_status;
  GtkLabel            *whatsapp_message;

  TcRepository        *repository;
  GCancellable        *cancellable;
  TcProviderSettings  *settings;
  /* Where each secret is found, for the status lines. */
  char                *secret_status[TC_SECRET_N_NAMES];

  guint                filling : 1;
};

G_DEFINE_FINAL_TYPE (TcProvidersPage, tc_providers_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  SIGNAL_CREDENTIALS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The settings behind the rows. */
static const char *
row_key (TcProvidersPage *self,
         AdwEntryRow     *row)
{
  if (row == self->account_sid_row)
    return TC_SETTING_TWILIO_ACCOUNT_SID;
  if (row == self->from_row)
    return TC_SETTING_TWILIO_FROM;
  if (row == self->service_row)
    return TC_SETTING_TWILIO_MESSAGING_SERVICE_SID;
  if (row == self->phone_number_id_row)
    return TC_SETTING_WHATSAPP_PHONE_NUMBER_ID;
  if (row == self->waba_row)
    return TC_SETTING_WHATSAPP_WABA_ID;

  g_assert_not_reached ();
  return NULL;
}

static TcSecretName
row_secret (TcProvidersPage *self,
            AdwEntryRow     *row)
{
  if (row == self->twilio_token_row)
    return TC_SECRET_TWILIO_AUTH_TOKEN;
  if (row == self->whatsapp_token_row)
    return TC_SECRET_WHATSAPP_TOKEN;
  g_assert (row == self->app_secret_row);

  return TC_SECRET_WHATSAPP_APP_SECRET;
}

/* The message line of the group @row is in. */
static GtkLabel *
row_message (TcProvidersPage *self,
             AdwEntryRow     *row)
{
  if (row == self->account_sid_row || row == self->from_row || row == self->service_row ||
      row == self->twilio_token_row)
    return self->twilio_message;

  return self->whatsapp_message;
}

/* Shows @text under a group; NULL hides it. */
static void
set_message (GtkLabel   *label,
             const char *text,
             Look        look)
{
  GtkWidget *widget = GTK_WIDGET (label);

  gtk_widget_set_visible (widget, text != NULL);
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_remove_css_class (widget, "error");
  gtk_widget_remove_css_class (widget, "success");
  gtk_widget_remove_css_class (widget, "dim-label");
  switch (look)
    {
    case LOOK_ERROR:
      gtk_widget_add_css_class (widget, "error");
      break;
    case LOOK_SUCCESS:
      gtk_widget_add_css_class (widget, "success");
      break;
    case LOOK_NOTE:
    default:
      gtk_widget_add_css_class (widget, "dim-label");
      break;
    }
}

static void
set_row_error (AdwEntryRow *row,
               gboolean     error)
{
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static void
update_status_lines (TcProvidersPage *self)
{
  g_autofree char *twilio = NULL;
  g_autofree char *whatsapp = NULL;

  if (self->settings == NULL || self->settings->twilio_account_sid == NULL)
    twilio = g_strdup (_("Save the Account SID first: the auth token is kept in the keyring "
                         "under it."));
  else
    twilio = g_strdup (self->secret_status[TC_SECRET_TWILIO_AUTH_TOKEN] != NULL
                       ? self->secret_status[TC_SECRET_TWILIO_AUTH_TOKEN] : "");

  if (self->settings == NULL || self->settings->whatsapp_waba_id == NULL)
    whatsapp = g_strdup (_("Save the WhatsApp Business Account id first: the access token and "
                           "the app secret are kept in the keyring under it."));
  else
    whatsapp = g_strjoin ("\n",
                          self->secret_status[TC_SECRET_WHATSAPP_TOKEN] != NULL
                          ? self->secret_status[TC_SECRET_WHATSAPP_TOKEN] : "",
                          self->secret_status[TC_SECRET_WHATSAPP_APP_SECRET] != NULL
                          ? self->secret_status[TC_SECRET_WHATSAPP_APP_SECRET] : "",
                          NULL);

  gtk_label_set_text (self->twilio_status, twilio);
  gtk_label_set_text (self->whatsapp_status, whatsapp);
}

/* ------------------------------------------------------------------------
 * Where the credentials are
 */

typedef struct
{
  TcProvidersPage *self;
  TcSecretName     name;
} SecretLookup;

static void
on_secret_found_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  SecretLookup *lookup = user_data;
  g_autoptr(TcProvidersPage) self = lookup->self;
  TcSecretName name = lookup->name;
  g_autoptr(GError) error = NULL;
  TcSecretSource source;
  char *value;
  char *status;
  /* Translators: "Auth token", "Access token", "App secret" */
  const char *what = name == TC_SECRET_TWILIO_AUTH_TOKEN ? _("Auth token")
                     : name == TC_SECRET_WHATSAPP_TOKEN ? _("Access token")
                     : _("App secret");

  g_free (lookup);

  value = tc_secrets_lookup_finish (result, &source, &error);
  if (value != NULL)
    {
      /* Only where it is found matters here. */
      memset (value, 0, strlen (value));
      g_free (value);
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    status = g_strdup_printf ("%s: %s", what, error->message);
  else if (source == TC_SECRET_SOURCE_ENVIRONMENT)
    status = g_strdup_printf (_("%s: from %s, which takes precedence over the keyring"), what,
                              tc_secret_name_env_var (name));
  else if (source == TC_SECRET_SOURCE_KEYRING)
    status = g_strdup_printf (_("%s: saved in the keyring"), what);
  else if (name == TC_SECRET_WHATSAPP_APP_SECRET)
    status = g_strdup_printf (_("%s: not set; webhooks from Meta are refused until it is"), what);
  else
    status = g_strdup_printf (_("%s: not set"), what);

  g_free (self->secret_status[name]);
  self->secret_status[name] = status;
  update_status_lines (self);
}

static void
look_up (TcProvidersPage *self,
         TcSecretName     name)
{
  SecretLookup *lookup = g_new0 (SecretLookup, 1);

  lookup->self = g_object_ref (self);
  lookup->name = name;
  tc_secrets_lookup_async (name, tc_provider_settings_secret_account (self->settings, name),
                           self->cancellable, on_secret_found_cb, lookup);
}

static void
refresh_credentials (TcProvidersPage *self)
{
  update_status_lines (self);
  if (self->settings->twilio_account_sid != NULL)
    look_up (self, TC_SECRET_TWILIO_AUTH_TOKEN);
  if (self->settings->whatsapp_waba_id != NULL)
    {
      look_up (self, TC_SECRET_WHATSAPP_TOKEN);
      look_up (self, TC_SECRET_WHATSAPP_APP_SECRET);
    }
}

/* ------------------------------------------------------------------------
 * Loading
 */

/* Only when it differs: setting the same text again would show the row's
 * apply button as if there were something to save. */
static void
set_text (AdwEntryRow *row,
          const char  *text)
{
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row)), text != NULL ? text : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

static void
on_settings_loaded_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(TcProvidersPage) self = user_data;
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GError) error = NULL;
  guint whatsapp;

  values = tc_settings_get_all_finish (TC_REPOSITORY (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (values == NULL)
    {
      set_message (self->channels_message, error->message, LOOK_ERROR);
      return;
    }

  g_clear_pointer (&self->settings, tc_provider_settings_free);
  self->settings = tc_provider_settings_new_from_table (values);

  self->filling = TRUE;
  adw_combo_row_set_selected (self->sms_row,
                              self->settings->sms == TC_PROVIDER_KIND_TWILIO ? 1 : 0);
  switch (self->settings->whatsapp)
    {
    case TC_PROVIDER_KIND_WHATSAPP:
      whatsapp = 1;
      break;
    case TC_PROVIDER_KIND_TWILIO:
      whatsapp = 2;
      break;
    case TC_PROVIDER_KIND_SIMULATOR:
    default:
      whatsapp = 0;
      break;
    }
  adw_combo_row_set_selected (self->whatsapp_row, whatsapp);
  set_text (self->account_sid_row, self->settings->twilio_account_sid);
  set_text (self->from_row, self->settings->twilio_from);
  set_text (self->service_row, self->settings->twilio_messaging_service_sid);
  set_text (self->phone_number_id_row, self->settings->whatsapp_phone_number_id);
  set_text (self->waba_row, self->settings->whatsapp_waba_id);
  self->filling = FALSE;

  gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
  refresh_credentials (self);
}

static void
load (TcProvidersPage *self)
{
  tc_settings_get_all_async (self->repository, "", self->cancellable, on_settings_loaded_cb,
                             g_object_ref (self));
}

/* ------------------------------------------------------------------------
 * Saving
 */

typedef struct
{
  TcProvidersPage *self;
  AdwEntryRow     *row;      /* NULL for the channel rows */
  GtkLabel        *message;
} Save;

static void
save_free (Save *save)
{
  g_object_unref (save->self);
  g_clear_object (&save->row);
  g_free (save);
}

static void
on_saved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Save *save = user_data;
  TcProvidersPage *self = save->self;
  g_autoptr(GError) error = NULL;

  if (!tc_settings_set_finish (TC_REPOSITORY (object), result, &error))
    set_message (save->message, error->message, LOOK_ERROR);
  else
    {
      if (save->row != NULL)
        set_row_error (save->row, FALSE);
      set_message (save->message, NULL, LOOK_NOTE);
      /* The accounts the secrets are kept under may have changed. */
      if (!g_cancellable_is_cancelled (self->cancellable))
        load (self);
    }

  save_free (save);
}

static void
save_setting (TcProvidersPage *self,
              const char      *key,
              const char      *value,
              AdwEntryRow     *row,
              GtkLabel        *message)
{
  Save *save = g_new0 (Save, 1);

  save->self = g_object_ref (self);
  save->row = row != NULL ? g_object_ref (row) : NULL;
  save->message = message;
  /* Saves are not cancelled with the page: what was confirmed is kept. */
  tc_settings_set_async (self->repository, key, value, NULL, on_saved_cb, save);
}

static void
on_setting_applied_cb (TcProvidersPage *self,
                       AdwEntryRow     *row)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  const char *key = row_key (self, row);
  const char *value = text[0] != '\0' ? text : NULL;
  g_autoptr(GError) error = NULL;

  if (!tc_settings_check_value (key, value, &error))
    {
      set_row_error (row, TRUE);
      set_message (row_message (self, row), error->message, LOOK_ERROR);
      return;
    }

  save_setting (self, key, value, row, row_message (self, row));
}

static void
on_channel_changed_cb (TcProvidersPage *self,
                       GParamSpec      *pspec,
                       AdwComboRow     *row)
{
  static const char * const sms_values[] = { "simulator", "twilio" };
  static const char * const whatsapp_values[] = { "simulator", "whatsapp", "twilio" };
  guint selected = adw_combo_row_get_selected (row);

  if (self->filling || self->repository == NULL)
    return;

  if (row == self->sms_row && selected < G_N_ELEMENTS (sms_values))
    save_setting (self, TC_SETTING_PROVIDER_SMS, sms_values[selected], NULL,
                  self->channels_message);
  else if (row == self->whatsapp_row && selected < G_N_ELEMENTS (whatsapp_values))
    save_setting (self, TC_SETTING_PROVIDER_WHATSAPP, whatsapp_values[selected], NULL,
                  self->channels_message);
}

typedef struct
{
  TcProvidersPage *self;
  AdwEntryRow     *row;
  gboolean         cleared;
} Store;

static void
on_secret_stored_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Store *store = user_data;
  g_autoptr(TcProvidersPage) self = store->self;
  g_autoptr(AdwEntryRow) row = store->row;
  gboolean cleared = store->cleared;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_free (store);

  ok = cleared ? tc_secrets_clear_finish (result, &error)
               : tc_secrets_store_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (row), TRUE);
  if (!ok)
    {
      set_row_error (row, TRUE);
      set_message (row_message (self, row), error->message, LOOK_ERROR);
      return;
    }

  set_row_error (row, FALSE);
  set_text (row, NULL);
  set_message (row_message (self, row),
               cleared ? _("Removed from the keyring.") : _("Saved in the keyring."),
               LOOK_SUCCESS);
  refresh_credentials (self);
  g_signal_emit (self, signals[SIGNAL_CREDENTIALS_CHANGED], 0);
}

static void
on_secret_applied_cb (TcProvidersPage *self,
                      AdwEntryRow     *row)
{
  TcSecretName name = row_secret (self, row);
  const char *account = self->settings != NULL
                        ? tc_provider_settings_secret_account (self->settings, name) : NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  g_autofree char *value = g_strstrip (g_strdup (text));
  Store *store;

  if (account == NULL)
    {
      set_row_error (row, TRUE);
      set_message (row_message (self, row),
                   name == TC_SECRET_TWILIO_AUTH_TOKEN
                   ? _("Save the Account SID first: the auth token is kept in the keyring "
                       "under it.")
                   : _("Save the WhatsApp Business Account id first: the access token and the "
                       "app secret are kept in the keyring under it."),
                   LOOK_ERROR);
      return;
    }

  store = g_new0 (Store, 1);
  store->self = g_object_ref (self);
  store->row = g_object_ref (row);
  store->cleared = value[0] == '\0';

  /* The keyring may ask for its password: the row waits, the window does not. */
  gtk_widget_set_sensitive (GTK_WIDGET (row), FALSE);
  if (store->cleared)
    tc_secrets_clear_async (name, account, self->cancellable, on_secret_stored_cb, store);
  else
    tc_secrets_store_async (name, account, value, self->cancellable, on_secret_stored_cb, store);

  /* Wiped before it is freed. */
  memset (value, 0, strlen (value));
}

/* ------------------------------------------------------------------------
 * Connection tests
 */

typedef struct
{
  TcProvidersPage *self;
  GtkButton       *button;
  GtkLabel        *message;
} Test;

static void
on_tested_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Test *test = user_data;
  g_autoptr(TcProvidersPage) self = test->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GtkButton *button = test->button;
  GtkLabel *message = test->message;

  g_free (test);

  text = tc_readiness_test_provider_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (button), TRUE);
  if (text != NULL)
    set_message (message, text, LOOK_SUCCESS);
  else
    set_message (message, error->message, LOOK_ERROR);
}

static void
on_test_clicked_cb (TcProvidersPage *self,
                    GtkButton       *button)
{
  Test *test = g_new0 (Test, 1);
  TcProviderKind kind = button == self->twilio_test_button ? TC_PROVIDER_KIND_TWILIO
                                                           : TC_PROVIDER_KIND_WHATSAPP;

  test->self = g_object_ref (self);
  test->button = button;
  test->message = kind == TC_PROVIDER_KIND_TWILIO ? self->twilio_message : self->whatsapp_message;

  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  set_message (test->message, _("Testing the connection…"), LOOK_NOTE);
  /* The outcome is recorded for the readiness check. */
  tc_readiness_test_provider_async (self->repository, NULL, kind, self->cancellable,
                                    on_tested_cb, test);
}

/* ------------------------------------------------------------------------
 * GObject
 */

static void
tc_providers_page_dispose (GObject *object)
{
  TcProvidersPage *self = TC_PROVIDERS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TC_TYPE_PROVIDERS_PAGE);
  g_clear_object (&self->repository);

  G_OBJECT_CLASS (tc_providers_page_parent_class)->dispose (object);
}

static void
tc_providers_page_finalize (GObject *object)
{
  TcProvidersPage *self = TC_PROVIDERS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->settings, tc_provider_settings_free);
  for (guint i = 0; i < TC_SECRET_N_NAMES; i++)
    g_free (self->secret_status[i]);

  G_OBJECT_CLASS (tc_providers_page_parent_class)->finalize (object);
}

static void
tc_providers_page_class_init (TcProvidersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tc_providers_page_dispose;
  object_class->finalize = tc_providers_page_finalize;

  signals[SIGNAL_CREDENTIALS_CHANGED] =
    g_signal_new ("credentials-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/textcast/Textcast/tc-providers-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TcProvidersPage, problem_group);
  gtk_widget_class_bind_template_child (widget_class, TcProvidersPage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, TcProvidersPage, sms_row);
  gtk_widget_class_bind_template_child (widget_class, TcProvidersPage, whatsapp_row);
  gtk_widget_class_bind_template_child (widget_class, TcProvidersPage, channels_message);
  gtk_widget_class_bind_template_child (widget_class, TcProvidersPage, twilio_test_button);
  gtk_widget_class_bind_template_child (widget_class, TcProvidersPage, account_sid_row);
  gtk_widget_class_bind_template_child (widget_class, TcProvidersPage, from_row);
  gtk_widget_class_bind_template_child (widget_class, TcProvidersPage, service_row);
  gtk_widget_class_bind_template_child (widget_class, TcProvidersPage, twilio_token_row);
  gtk_widget_class_bind_template_child (widget_class, TcProvidersPage, twilio_status);
  gtk_widget_class_bind_template_child (widget_class, TcProvidersPage, twilio_message);
  gtk_widget_class_bind_template_child (widget_class, TcProvidersPage, whatsapp_test_button);
  gtk_widget_class_bind_template_child (widget_class, TcProvidersPage, phone_number_id_row);
  gtk_widget_class_bind_template_child (widget_class, TcProvidersPage, waba_row);
  gtk_widget_class_bind_template_child (widget_class, TcProvidersPage, whatsapp_token_row);
  gtk_widget_class_bind_template_child (widget_class, TcProvidersPage, app_secret_row);
  gtk_widget_class_bind_template_child (widget_class, TcProvidersPage, whatsapp_status);
  gtk_widget_class_bind_template_child (widget_class, TcProvidersPage, whatsapp_message);
  gtk_widget_class_bind_template_callback (widget_class, on_channel_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_setting_applied_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_secret_applied_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_test_clicked_cb);
}

static void
tc_providers_page_init (TcProvidersPage *self)
{
  self->cancellable = g_cancellable_new ();
  /* The combo rows take their first item while the template is built. */
  self->filling = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->filling = FALSE;
}

TcProvidersPage *
tc_providers_page_new (TcRepository *repository)
{
  TcProvidersPage *self;

  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);

  self = g_object_new (TC_TYPE_PROVIDERS_PAGE, NULL);
  self->repository = g_object_ref (repository);
  load (self);

  return self;
}

void
tc_providers_page_set_problem (TcProvidersPage *self,
                               const char      *text)
{
  g_return_if_fail (TC_IS_PROVIDERS_PAGE (self));

  gtk_label_set_text (self->problem_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_group), text != NULL);
}
