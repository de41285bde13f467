/* tc-senders.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The senders table (schema 6, see tc-repository.c): one row per sending
 * identity, keyed by its id (E.164 for phone numbers, digits for short
 * codes and WhatsApp phone-number ids), with the countries it serves
 * stored upper case and separated by spaces. Senders are checked and
 * normalized on the caller's thread before anything is queued, so the
 * table only ever holds what tc_senders_save_async() accepted.
 */

#define G_LOG_DOMAIN "tc-senders"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "tc-phone.h"
#include "tc-repository-private.h"
#include "tc-senders.h"

/* Short codes are 3 to 8 digits around the world (5–6 in the US and
 * Canada, 3–8 elsewhere). */
#define SHORT_CODE_MIN_DIGITS 3
#define SHORT_CODE_MAX_DIGITS 8
/* Meta's phone-number ids are 15–17 digits today; leave room. */
#define WHATSAPP_ID_MAX_DIGITS 32

/* Conservative limits of a sender nobody registered (see the header). */
#define DEFAULT_MPS_LONG_CODE       1.0
#define DEFAULT_DAILY_LONG_CODE     2000
#define DEFAULT_MPS_TOLL_FREE       3.0
#define DEFAULT_MPS_SHORT_CODE      100.0
#define DEFAULT_MPS_WHATSAPP        80.0

#define SENDER_COLUMNS "id, type, use, mps, daily_cap, countries"

/* ------------------------------------------------------------------------
 * The record
 */

G_DEFINE_BOXED_TYPE (TcSender, tc_sender, tc_sender_copy, tc_sender_free)

TcSender *
tc_sender_new (const char   *id,
               TcSenderType  type,
               TcSenderUse   use)
{
  TcSender *sender;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (type <= TC_SENDER_TYPE_WHATSAPP, NULL);
  g_return_val_if_fail (use <= TC_SENDER_USE_BOTH, NULL);

  sender = g_new0 (TcSender, 1);
  sender->id = g_strdup (id);
  sender->type = type;
  sender->use = use;
  sender->countries = g_new0 (char *, 1);
  /* Not in the registry until it is saved and read back. */
  sender->registered = FALSE;

  return sender;
}

TcSender *
tc_sender_copy (const TcSender *sender)
{
  TcSender *copy;

  g_return_val_if_fail (sender != NULL, NULL);

  copy = g_new0 (TcSender, 1);
  copy->id = g_strdup (sender->id);
  copy->type = sender->type;
  copy->use = sender->use;
  copy->mps = sender->mps;
  copy->daily_cap = sender->daily_cap;
  copy->countries = sender->countries != NULL ? g_strdupv (sender->countries)
                                              : g_new0 (char *, 1);
  copy->registered = sender->registered;

  return copy;
}

void
tc_sender_free (TcSender *sender)
{
  if (sender == NULL)
    return;

  g_free (sender->id);
  g_strfreev (sender->countries);
  g_free (sender);
}

static gboolean
is_digits (const char *str)
{
  if (str[0] == '\0')
    return FALSE;

  for (const char *p = str; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;

  return TRUE;
}

/* The North American toll-free area codes. */
static gboolean
is_nanp_toll_free_area (const char *area)
{
  static const char * const areas[] = { "800", "833", "844", "855", "866", "877", "888" };

  for (guint i = 0; i < G_N_ELEMENTS (areas); i++)
    if (strncmp (area, areas[i], 3) == 0)
      return TRUE;

  return FALSE;
}

TcSenderType
tc_sender_guess_type (const char *id,
                      TcChannel   channel)
{
  char digits[32];
  gsize n_digits = 0;
  gboolean plus = FALSE;

  g_return_val_if_fail (id != NULL, TC_SENDER_TYPE_LONG_CODE);

  if (channel == TC_CHANNEL_WHATSAPP)
    return TC_SENDER_TYPE_WHATSAPP;

  /* Keep the digits; "+1 (800) 555-0100" and "+18005550100" are one
   * number. Anything but digits, blanks and the usual punctuation means
   * it is not a short code. */
  for (const char *p = id; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          if (n_digits == sizeof digits - 1)
            return TC_SENDER_TYPE_LONG_CODE;
          digits[n_digits++] = *p;
        }
      else if (*p == '+' && n_digits == 0 && !plus)
        plus = TRUE;
      else if (!g_ascii_isspace (*p) && strchr ("-.()", *p) == NULL)
        return TC_SENDER_TYPE_LONG_CODE;
    }
  digits[n_digits] = '\0';

  if (!plus && (n_digits == 5 || n_digits == 6))
    return TC_SENDER_TYPE_SHORT_CODE;

  /* +1 8XX NXX XXXX, also written 1-8XX-… without the plus. */
  if (n_digits == 11 && digits[0] == '1' && is_nanp_toll_free_area (digits + 1))
    return TC_SENDER_TYPE_TOLL_FREE;

  return TC_SENDER_TYPE_LONG_CODE;
}

TcSender *
tc_sender_new_unregistered (const char *id,
                            TcChannel   channel)
{
  TcSender *sender;

  g_return_val_if_fail (id != NULL, NULL);

  sender = tc_sender_new (id, tc_sender_guess_type (id, channel), TC_SENDER_USE_BOTH);

  switch (sender->type)
    {
    case TC_SENDER_TYPE_LONG_CODE:
      /* An unregistered 10DLC number: carriers filter anything faster. */
      sender->mps = DEFAULT_MPS_LONG_CODE;
      sender->daily_cap = DEFAULT_DAILY_LONG_CODE;
      break;
    case TC_SENDER_TYPE_TOLL_FREE:
      sender->mps = DEFAULT_MPS_TOLL_FREE;
      break;
    case TC_SENDER_TYPE_SHORT_CODE:
      sender->mps = DEFAULT_MPS_SHORT_CODE;
      break;
    case TC_SENDER_TYPE_WHATSAPP:
      sender->mps = DEFAULT_MPS_WHATSAPP;
      break;
    default:
      g_assert_not_reached ();
    }

  return sender;
}

gboolean
tc_sender_allows_purpose (const TcSender *sender,
                          TcPurpose       purpose)
{
  g_return_val_if_fail (sender != NULL, FALSE);

  /* Registration restricts marketing: a number registered for
   * transactional traffic (2FA, order updates) must not carry promotions.
   * Messages a person needs may go through any sender; the send engine
   * prefers a transactional one when there is one. */
  if (purpose == TC_PURPOSE_PROMOTIONAL)
    return sender->use != TC_SENDER_USE_TRANSACTIONAL;

  return TRUE;
}

gboolean
tc_sender_serves_country (const TcSender *sender,
                          const char     *country)
{
  g_return_val_if_fail (sender != NULL, FALSE);

  if (sender->countries == NULL || sender->countries[0] == NULL)
    return TRUE;
  if (country == NULL || country[0] == '\0')
    return FALSE;

  for (guint i = 0; sender->countries[i] != NULL; i++)
    if (g_ascii_strcasecmp (sender->countries[i], country) == 0)
      return TRUE;

  return FALSE;
}

char *
tc_sender_to_json (const TcSender *sender)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (sender != NULL, NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, sender->id);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, tc_sender_type_to_string (sender->type));
  json_builder_set_member_name (builder, "purpose");
  json_builder_add_string_value (builder, tc_sender_use_to_string (sender->use));
  json_builder_set_member_name (builder, "mps");
  /* Whole rates as integers ("mps":1, not 1.0), as people wrote them. */
  if (sender->mps == floor (sender->mps) && fabs (sender->mps) < 1e15)
    json_builder_add_int_value (builder, (gint64) sender->mps);
  else
    json_builder_add_double_value (builder, sender->mps);
  json_builder_set_member_name (builder, "daily_cap");
  if (sender->daily_cap == 0)
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, sender->daily_cap);
  json_builder_set_member_name (builder, "countries");
  json_builder_begin_array (builder);
  for (guint i = 0; sender->countries != NULL && sender->countries[i] != NULL; i++)
    json_builder_add_string_value (builder, sender->countries[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "registered");
  json_builder_add_boolean_value (builder, sender->registered);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

/* ------------------------------------------------------------------------
 * Validation: a copy of @sender with its id and countries in canonical
 * form, or NULL with a message that names the value.
 */

static char *
normalize_phone_id (const TcSender  *sender,
                    const char      *id,
                    GError         **error)
{
  g_autoptr(GError) phone_error = NULL;
  g_autoptr(TcPhoneInfo) info = NULL;
  const char *region = NULL;

  /* A number written without its country code is read in the first
   * country the sender serves. */
  if (sender->countries != NULL && sender->countries[0] != NULL &&
      tc_phone_region_is_valid (sender->countries[0]))
    region = sender->countries[0];

  info = tc_phone_parse (id, region, TC_PHONE_PARSE_TYPE, &phone_error);
  if (info == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The sender “%s” is not a phone number Textcast can read (%s); "
                     "write it with its country code, e.g. +14155550100"),
                   id, phone_error->message);
      return NULL;
    }

  if (sender->type == TC_SENDER_TYPE_TOLL_FREE && info->type != TC_PHONE_TYPE_TOLL_FREE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The sender %s is registered as toll-free, but it is not a toll-free "
                     "number; use the type long_code for it"),
                   info->e164);
      return NULL;
    }

  return g_strdup (info->e164);
}

static TcSender *
check_sender (const TcSender  *sender,
              GError         **error)
{
  g_autoptr(TcSender) checked = NULL;
  g_autoptr(GPtrArray) countries = NULL;
  g_autofree char *id = NULL;

  id = g_strstrip (g_strdup (sender->id));
  if (id[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("A sender needs an id: its phone number, short code or "
                             "WhatsApp phone-number id"));
      return NULL;
    }

  if (!isfinite (sender->mps) || sender->mps < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The rate %g of the sender “%s” is not valid: give the messages per "
                     "second as a number of 0 or more (0 means no limit)"),
                   sender->mps, id);
      return NULL;
    }

  countries = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; sender->countries != NULL && sender->countries[i] != NULL; i++)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (sender->countries[i]));
      g_autofree char *country = g_ascii_strup (trimmed, -1);
      gboolean seen = FALSE;

      if (strlen (country) != 2 || !g_ascii_isalpha (country[0]) ||
          !g_ascii_isalpha (country[1]) || !tc_phone_region_is_valid (country))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not a country code: use two-letter ISO 3166 codes such "
                         "as US, CA or GB"),
                       sender->countries[i]);
          return NULL;
        }

      for (guint j = 0; j < countries->len; j++)
        seen = seen || strcmp (g_ptr_array_index (countries, j), country) == 0;
      if (!seen)
        g_ptr_array_add (countries, g_steal_pointer (&country));
    }
  g_ptr_array_add (countries, NULL);

  checked = tc_sender_copy (sender);
  g_strfreev (checked->countries);
  checked->countries = (char **) g_ptr_array_free (g_steal_pointer (&countries), FALSE);

  switch (sender->type)
    {
    case TC_SENDER_TYPE_LONG_CODE:
    case TC_SENDER_TYPE_TOLL_FREE:
      g_free (checked->id);
      checked->id = normalize_phone_id (checked, id, error);
      if (checked->id == NULL)
        return NULL;
      break;

    case TC_SENDER_TYPE_SHORT_CODE:
      if (!is_digits (id) || strlen (id) < SHORT_CODE_MIN_DIGITS ||
          strlen (id) > SHORT_CODE_MAX_DIGITS)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not a short code: a short code is %d to %d digits, "
                         "without spaces or a +"),
                       id, SHORT_CODE_MIN_DIGITS, SHORT_CODE_MAX_DIGITS);
          return NULL;
        }
      g_free (checked->id);
      checked->id = g_steal_pointer (&id);
      break;

    case TC_SENDER_TYPE_WHATSAPP:
      if (!is_digits (id) || strlen (id) > WHATSAPP_ID_MAX_DIGITS)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not a WhatsApp phone-number id: it is the number of "
                         "digits shown in WhatsApp Manager under Phone numbers, not the "
                         "phone number itself"),
                       id);
          return NULL;
        }
      g_free (checked->id);
      checked->id = g_steal_pointer (&id);
      break;

    default:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The sender “%s” has no valid type: use long_code, toll_free, "
                     "short_code or whatsapp"),
                   id);
      return NULL;
    }

  if ((guint) sender->use > TC_SENDER_USE_BOTH)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The sender “%s” has no valid purpose: use transactional, "
                     "promotional or both"),
                   checked->id);
      return NULL;
    }

  return g_steal_pointer (&checked);
}

/* ------------------------------------------------------------------------
 * Worker side
 */

static TcSender *
sender_from_row (sqlite3_stmt *stmt)
{
  const char *id = (const char *) sqlite3_column_text (stmt, 0);
  const char *type_name = (const char *) sqlite3_column_text (stmt, 1);
  const char *use_name = (const char *) sqlite3_column_text (stmt, 2);
  const char *countries = (const char *) sqlite3_column_text (stmt, 5);
  TcSenderType type = TC_SENDER_TYPE_LONG_CODE;
  TcSenderUse use = TC_SENDER_USE_BOTH;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;
  TcSender *sender;
  gint64 daily_cap;

  /* The table's CHECK constraints keep both names valid. */
  if (type_name == NULL || !tc_sender_type_from_string (type_name, &type))
    g_warn_if_reached ();
  if (use_name == NULL || !tc_sender_use_from_string (use_name, &use))
    g_warn_if_reached ();

  sender = tc_sender_new (id != NULL ? id : "", type, use);
  sender->mps = sqlite3_column_double (stmt, 3);
  daily_cap = sqlite3_column_int64 (stmt, 4);
  sender->daily_cap = (guint) CLAMP (daily_cap, 0, G_MAXUINT);
  sender->registered = TRUE;

  parts = g_strsplit (countries != NULL ? countries : "", " ", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      g_strv_builder_add (builder, parts[i]);
  g_strfreev (sender->countries);
  sender->countries = g_strv_builder_end (builder);

  return sender;
}

TcSender *
_tc_db_lookup_sender (TcDb        *db,
                      const char  *id,
                      GError     **error)
{
  sqlite3_stmt *stmt;
  TcSender *sender = NULL;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  stmt = _tc_db_prepare (db, "SELECT " SENDER_COLUMNS " FROM senders WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    sender = sender_from_row (stmt);
  else if (rc != SQLITE_DONE)
    _tc_db_set_error (db, error, "Cannot read the sender");
  sqlite3_reset (stmt);

  return sender;
}

static gpointer
save_job (TcDb          *db,
          gpointer       job_data,
          GCancellable  *cancellable,
          GError       **error)
{
  TcSender *sender = job_data;
  g_autofree char *countries = g_strjoinv (" ", sender->countries);
  sqlite3_stmt *stmt;

  /* An upsert keeps created_at of a sender that is replaced. */
  stmt = _tc_db_prepare (db,
                         "INSERT INTO senders (id, type, use, mps, daily_cap, countries,"
                         "                     created_at, updated_at)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)"
                         " ON CONFLICT (id) DO UPDATE SET"
                         "   type = excluded.type, use = excluded.use, mps = excluded.mps,"
                         "   daily_cap = excluded.daily_cap, countries = excluded.countries,"
                         "   updated_at = excluded.updated_at",
                         error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, sender->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, tc_sender_type_to_string (sender->type), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, tc_sender_use_to_string (sender->use), -1, SQLITE_STATIC);
  sqlite3_bind_double (stmt, 4, sender->mps);
  sqlite3_bind_int64 (stmt, 5, sender->daily_cap);
  sqlite3_bind_text (stmt, 6, countries, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, g_get_real_time () / G_USEC_PER_SEC);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot store the sender");
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  return GINT_TO_POINTER (1);
}

static gpointer
remove_job (TcDb          *db,
            gpointer       job_data,
            GCancellable  *cancellable,
            GError       **error)
{
  const char *id = job_data;
  sqlite3_stmt *stmt;

  stmt = _tc_db_prepare (db, "DELETE FROM senders WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot remove the sender");
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  if (sqlite3_changes (_tc_db_get_handle (db)) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("There is no sender “%s”; see the list of senders for their ids"), id);
      return NULL;
    }

  return GINT_TO_POINTER (1);
}

static gpointer
list_job (TcDb          *db,
          gpointer       job_data,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(GPtrArray) senders = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_sender_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _tc_db_prepare (db, "SELECT " SENDER_COLUMNS " FROM senders ORDER BY id", error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (senders, sender_from_row (stmt));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot list the senders");
      return NULL;
    }

  return g_steal_pointer (&senders);
}

/* ------------------------------------------------------------------------
 * Main-thread side
 */

static void
on_pointer_job_done_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gpointer value;

  value = _tc_repository_run_finish (TC_REPOSITORY (object), result, &error);
  if (value == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, value, (GDestroyNotify) g_ptr_array_unref);
}

static void
on_boolean_job_done_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (_tc_repository_run_finish (TC_REPOSITORY (object), result, &error) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* A sender id as stored: digits stay as they are (short codes, WhatsApp
 * ids); a phone number written some other way becomes E.164 when it can
 * be read. */
static char *
canonical_id (const char *id)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (id));
  char *e164;

  if (is_digits (trimmed))
    return g_steal_pointer (&trimmed);

  e164 = tc_phone_normalize (trimmed, NULL, NULL);
  if (e164 != NULL)
    return e164;

  return g_steal_pointer (&trimmed);
}

void
tc_senders_save_async (TcRepository        *repository,
                       const TcSender      *sender,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task;
  GError *error = NULL;
  TcSender *checked;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (sender != NULL);
  g_return_if_fail (sender->id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (repository, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_senders_save_async);
  /* A committed change is reported as done even if cancelled meanwhile. */
  g_task_set_check_cancellable (task, FALSE);

  checked = check_sender (sender, &error);
  if (checked == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  /* No "contacts-changed": no contact list shows senders. */
  _tc_repository_run_async_full (repository, TC_DB_JOB_WRITE, save_job,
                                 checked, (GDestroyNotify) tc_sender_free, NULL, FALSE,
                                 cancellable, on_boolean_job_done_cb, task);
}

gboolean
tc_senders_save_finish (TcRepository  *repository,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, repository), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_senders_save_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tc_senders_remove_async (TcRepository        *repository,
                         const char          *id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (repository, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_senders_remove_async);
  g_task_set_check_cancellable (task, FALSE);

  _tc_repository_run_async_full (repository, TC_DB_JOB_WRITE, remove_job,
                                 canonical_id (id), g_free, NULL, FALSE,
                                 cancellable, on_boolean_job_done_cb, task);
}

gboolean
tc_senders_remove_finish (TcRepository  *repository,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, repository), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_senders_remove_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tc_senders_list_async (TcRepository        *repository,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (repository, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_senders_list_async);

  _tc_repository_run_async_full (repository, TC_DB_JOB_READ, list_job, NULL, NULL,
                                 (GDestroyNotify) g_ptr_array_unref, FALSE,
                                 cancellable, on_pointer_job_done_cb, task);
}

GPtrArray *
tc_senders_list_finish (TcRepository  *repository,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (g_task_is_valid (result, repository), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_senders_list_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
