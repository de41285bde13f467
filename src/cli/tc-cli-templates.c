/* tc-cli-templates.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `textcast-cli templates list|save|show|submit|refresh`: the stored
 * templates, for scripts; submit and refresh talk to Meta's API. Exit
 * status as for the rest of textcast-cli: 0 success, 1 a failed operation
 * (one line on stderr), 2 bad usage.
 */

#define G_LOG_DOMAIN "textcast-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <json-glib/json-glib.h>

#include "tc-cli-templates.h"
#include "tc-cli.h"
#include "tc-context.h"
#include "tc-media-probe.h"
#include "tc-settings.h"
#include "tc-repository.h"
#include "tc-soup.h"
#include "tc-template-store.h"
#include "tc-template.h"
#include "tc-wa-template.h"
#include "tc-wa-templates-client.h"
#include "tc-wa-templates-simulated.h"

#define EXIT_USAGE 2

/* A template body is a message: a few kilobytes at most. This bounds what
 * a mistaken `< big-file` reads. */
#define MAX_STDIN_BYTES (1024 * 1024)

static const char usage_text[] =
  "Usage: textcast-cli [--db FILE] templates COMMAND [OPTION…]\n"
  "\n"
  "Commands:\n"
  "  templates list [--kind sms|whatsapp|snippet] [--json]\n"
  "      List the templates (the latest version of each).\n"
  "  templates save --name NAME --kind KIND [--purpose promotional|transactional]\n"
  "                 [--language LANG] [--media-url URL [--no-check]] [--json] < TEXT\n"
  "      Create or update a template from standard input: the text of an SMS\n"
  "      template or a snippet, the JSON definition of a WhatsApp template.\n"
  "      Changed content is stored as a new version; unchanged, nothing is added.\n"
  "      --media-url attaches a picture to an SMS template, sent as MMS (\"\"\n"
  "      removes it); the link is checked first (type and size), unless\n"
  "      --no-check is given, when the type is guessed from the file name.\n"
  "  templates show NAME [--kind KIND] [--version N] [--json]\n"
  "      Print a template (the latest version, or version N).\n"
  "  templates submit NAME [--json]\n"
  "      Submit WhatsApp template NAME to Meta for approval and store its status.\n"
  "  templates refresh [NAME] [--json]\n"
  "      Ask Meta for the approval status of WhatsApp template NAME (of every\n"
  "      submitted WhatsApp template without NAME) and store it.\n"
  "  templates remote [--json]\n"
  "      List every WhatsApp template Meta has for the WhatsApp Business Account\n"
  "      (also those made in Meta's Business Manager), with status and category.\n"
  "\n"
  "submit, refresh and remote need the access token — in TEXTCAST_WHATSAPP_TOKEN, or in the\n"
  "keyring (textcast-cli providers set whatsapp --token-stdin) — and the WhatsApp\n"
  "Business Account id in the setting whatsapp.waba_id. When WhatsApp goes through the\n"
  "built-in simulator (provider.whatsapp) and no WhatsApp Business Account is set,\n"
  "submit and refresh have the simulator review the template, as Meta would.\n";

/* The options, in the order of the usage text. */
static const TcCliOption option_specs[] = {
  { "db", TRUE },
  { "kind", TRUE },
  { "name", TRUE },
  { "purpose", TRUE },
  { "language", TRUE },
  { "version", TRUE },
  { "media-url", TRUE },
  { "no-check", FALSE },
  { NULL, FALSE },
};

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value != NULL ? value : "");
}

static void
add_date_time (JsonBuilder *builder,
               const char  *member,
               GDateTime   *date_time)
{
  g_autofree char *text = date_time != NULL ? g_date_time_format_iso8601 (date_time) : NULL;

  json_builder_set_member_name (builder, member);
  if (text != NULL)
    json_builder_add_string_value (builder, text);
  else
    json_builder_add_null_value (builder);
}

static void
add_template (JsonBuilder *builder,
              TcTemplate  *template)
{
  const char *definition = tc_template_get_definition (template);
  g_autoptr(JsonNode) parsed = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, tc_template_get_id (template));
  add_string (builder, "name", tc_template_get_name (template));
  add_string (builder, "kind", tc_template_kind_to_string (tc_template_get_kind (template)));
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, tc_template_get_version (template));
  add_string (builder, "status", tc_template_get_status (template));
  add_string (builder, "status_reason", tc_template_get_status_reason (template));
  add_string (builder, "language", tc_template_get_language (template));
  add_string (builder, "purpose", tc_purpose_to_string (tc_template_get_purpose (template)));
  add_string (builder, "body", tc_template_get_body (template));
  add_string (builder, "media_url", tc_template_get_media_url (template));
  add_string (builder, "media_type", tc_template_get_media_type (template));

  /* The definition is JSON: embedded as such, so that scripts need not
   * parse a string inside the JSON. */
  json_builder_set_member_name (builder, "definition");
  if (definition[0] != '\0')
    parsed = json_from_string (definition, NULL);
  if (parsed != NULL)
    json_builder_add_value (builder, g_steal_pointer (&parsed));
  else if (definition[0] != '\0')
    json_builder_add_string_value (builder, definition);
  else
    json_builder_add_null_value (builder);

  add_date_time (builder, "created_at", tc_template_get_created_at (template));
  add_date_time (builder, "updated_at", tc_template_get_updated_at (template));
}

static int
parse_kind (const char *text,
            int        *kind)
{
  TcTemplateKind value;

  if (text == NULL)
    {
      *kind = -1;
      return 0;
    }
  if (!tc_template_kind_from_string (text, &value))
    return tc_cli_usage_error (usage_text, "'--kind' must be sms, whatsapp or snippet, not '%s'", text);
  *kind = value;

  return 0;
}

static int
cmd_list (TcCliArgs *opts)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GError) error = NULL;
  TcRepository *repository;
  int kind = -1;
  int status;

  if ((status = parse_kind (tc_cli_args_get (opts, "kind"), &kind)) != 0)
    return status;
  if (tc_cli_args_has (opts, "name") || tc_cli_args_has (opts, "purpose") ||
      tc_cli_args_has (opts, "language") || tc_cli_args_has (opts, "version"))
    return tc_cli_usage_error (usage_text, "'templates list' takes only --kind and --json");
  if (opts->args->len > 2)
    return tc_cli_usage_error (usage_text, "'templates list' got an unexpected argument '%s'",
                        (const char *) g_ptr_array_index (opts->args, 2));

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), FALSE, &error);
  if (context == NULL)
    return tc_cli_fail ("%s", error->message);
  repository = tc_context_get_repository (context);

  tc_repository_list_templates_async (repository, kind, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  templates = tc_repository_list_templates_finish (repository, result, &error);
  if (templates == NULL)
    return tc_cli_fail ("cannot list the templates: %s", error->message);

  if (opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < templates->len; i++)
        {
          add_template (builder, g_ptr_array_index (templates, i));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      tc_cli_print_json (root);
    }
  else
    {
      for (guint i = 0; i < templates->len; i++)
        {
          TcTemplate *template = g_ptr_array_index (templates, i);

          g_print ("%-8s  v%-3d  %-8s  %s\n",
                   tc_template_kind_to_string (tc_template_get_kind (template)),
                   tc_template_get_version (template),
                   tc_template_get_status (template),
                   tc_template_get_name (template));
        }
    }

  return EXIT_SUCCESS;
}

static char *
read_stdin (GError **error)
{
  g_autoptr(GBytes) bytes = tc_cli_read_stdin (MAX_STDIN_BYTES, error);
  const char *data;
  gsize len;

  if (bytes == NULL)
    return NULL;

  data = g_bytes_get_data (bytes, &len);
  if (len > 0 && (memchr (data, '\0', len) != NULL || !g_utf8_validate_len (data, len, NULL)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "the text on standard input is not UTF-8");
      return NULL;
    }

  return g_strndup (data != NULL ? data : "", len);
}

/* Looks up @name of @kind (-1: any); TC_DB_ERROR_NOT_FOUND when there is
 * none. */
static TcTemplate *
find_existing (TcRepository  *repository,
               int            kind,
               const char    *name,
               int            version,
               GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tc_repository_find_template_async (repository, kind, name, version, NULL,
                                     tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);

  return tc_repository_find_template_finish (repository, result, error);
}

/* The type of the file @url names, from its name alone (for --no-check):
 * "" when the name says nothing. */
static char *
guess_media_type (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *base = NULL;
  g_autofree char *content_type = NULL;
  gboolean uncertain = TRUE;

  if (uri == NULL)
    return g_strdup ("");
  base = g_path_get_basename (g_uri_get_path (uri));
  content_type = g_content_type_guess (base, NULL, 0, &uncertain);
  if (uncertain || content_type == NULL || g_content_type_is_unknown (content_type))
    return g_strdup ("");

  return g_content_type_get_mime_type (content_type);
}

/* Checks the picture of an MMS template with its server and returns its
 * type, or NULL with @error saying what is wrong with it. */
static char *
probe_media (const char  *url,
             GError     **error)
{
  g_autoptr(SoupSession) session = tc_soup_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TcMediaProbeResult) probed = NULL;

  tc_media_probe_async (session, url, TC_MEDIA_CHANNEL_MMS, NULL,
                        tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  probed = tc_media_probe_finish (result, error);
  if (probed == NULL)
    return NULL;

  return g_strdup (probed->content_type);
}

static int
cmd_save (TcCliArgs *opts)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TcTemplate) template = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *media_type = NULL;
  TcRepository *repository;
  TcPurpose purpose = TC_PURPOSE_PROMOTIONAL;
  gboolean new_version = FALSE;
  int kind = -1;
  int status;

  if ((status = parse_kind (tc_cli_args_get (opts, "kind"), &kind)) != 0)
    return status;
  if (kind < 0)
    return tc_cli_usage_error (usage_text, "'templates save' needs --kind sms, whatsapp or snippet");
  if (!tc_cli_args_has (opts, "name") || tc_cli_args_get (opts, "name")[0] == '\0')
    return tc_cli_usage_error (usage_text, "'templates save' needs --name");
  if (tc_cli_args_has (opts, "purpose") &&
      !tc_purpose_from_string (tc_cli_args_get (opts, "purpose"), &purpose))
    return tc_cli_usage_error (usage_text,
                               "'--purpose' must be promotional or transactional, not '%s'",
                               tc_cli_args_get (opts, "purpose"));
  if (tc_cli_args_has (opts, "version"))
    return tc_cli_usage_error (usage_text, "'templates save' does not take --version: saving makes the next version");
  if (tc_cli_args_has (opts, "media-url") && kind != TC_TEMPLATE_KIND_SMS)
    return tc_cli_usage_error (usage_text, "'--media-url' is for SMS templates (sent as MMS); "
                               "a WhatsApp template's media is in its header");
  if (tc_cli_args_has (opts, "no-check") && !tc_cli_args_has (opts, "media-url"))
    return tc_cli_usage_error (usage_text, "'--no-check' goes with '--media-url'");
  if (opts->args->len > 2)
    return tc_cli_usage_error (usage_text, "'templates save' got an unexpected argument '%s' (the text comes on standard input)",
                        (const char *) g_ptr_array_index (opts->args, 2));

  text = read_stdin (&error);
  if (text == NULL)
    return tc_cli_fail ("%s", error->message);

  /* Before the workspace is touched: a picture that cannot be sent is
   * not saved. */
  if (tc_cli_args_has (opts, "media-url") && tc_cli_args_get (opts, "media-url")[0] != '\0')
    {
      if (tc_cli_args_has (opts, "no-check"))
        {
          if (!tc_media_check_url (tc_cli_args_get (opts, "media-url"), &error))
            return tc_cli_fail ("%s", error->message);
          media_type = guess_media_type (tc_cli_args_get (opts, "media-url"));
        }
      else
        {
          media_type = probe_media (tc_cli_args_get (opts, "media-url"), &error);
          if (media_type == NULL)
            return tc_cli_fail ("the picture cannot be sent by MMS: %s "
                                "(--no-check saves it without checking)", error->message);
        }
    }

  if (kind == TC_TEMPLATE_KIND_WHATSAPP)
    {
      g_autoptr(JsonNode) node = json_from_string (text, &error);
      g_autoptr(TcWaTemplate) model = NULL;
      g_autoptr(JsonNode) normalized = NULL;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return tc_cli_fail ("a WhatsApp template is its JSON definition, as an object: %s",
                     error != NULL ? error->message : "the input is not an object");

      /* Stored as the editor stores it, so that opening and saving it in
       * the window without a change adds no version. */
      model = tc_wa_template_new_from_json (node, &error);
      if (model == NULL)
        return tc_cli_fail ("the WhatsApp template definition cannot be read: %s", error->message);
      normalized = tc_wa_template_to_json (model);
      g_free (text);
      text = json_to_string (normalized, TRUE);
    }

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), TRUE, &error);
  if (context == NULL)
    return tc_cli_fail ("%s", error->message);
  repository = tc_context_get_repository (context);

  template = find_existing (repository, kind, tc_cli_args_get (opts, "name"), 0, &error);
  if (template == NULL)
    {
      if (!g_error_matches (error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND))
        return tc_cli_fail ("%s", error->message);
      g_clear_error (&error);
      template = tc_template_new (kind, tc_cli_args_get (opts, "name"));
    }

  if (kind == TC_TEMPLATE_KIND_WHATSAPP)
    tc_template_set_definition (template, text);
  else
    tc_template_set_body (template, text);
  if (tc_cli_args_has (opts, "language"))
    tc_template_set_language (template, tc_cli_args_get (opts, "language"));
  if (tc_cli_args_has (opts, "purpose"))
    tc_template_set_purpose (template, purpose);
  if (tc_cli_args_has (opts, "media-url"))
    {
      tc_template_set_media_url (template, tc_cli_args_get (opts, "media-url"));
      tc_template_set_media_type (template, media_type);
    }

  tc_repository_save_template_async (repository, template, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_repository_save_template_finish (repository, result, &new_version, &error))
    return tc_cli_fail ("%s", error->message);

  if (opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      add_template (builder, template);
      json_builder_set_member_name (builder, "new_version");
      json_builder_add_boolean_value (builder, new_version);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      tc_cli_print_json (root);
    }
  else if (new_version)
    g_print ("Saved “%s” (%s) as version %d\n", tc_template_get_name (template),
             tc_template_kind_to_string (kind), tc_template_get_version (template));
  else
    g_print ("“%s” (%s) is unchanged at version %d\n", tc_template_get_name (template),
             tc_template_kind_to_string (kind), tc_template_get_version (template));

  return EXIT_SUCCESS;
}

static int
cmd_show (TcCliArgs *opts)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(TcTemplate) template = NULL;
  g_autoptr(GError) error = NULL;
  TcRepository *repository;
  guint64 version = 0;
  const char *name;
  int kind = -1;
  int status;

  if ((status = parse_kind (tc_cli_args_get (opts, "kind"), &kind)) != 0)
    return status;
  if (opts->args->len < 3)
    return tc_cli_usage_error (usage_text, "'templates show' needs the template's name");
  if (opts->args->len > 3)
    return tc_cli_usage_error (usage_text, "'templates show' got an unexpected argument '%s'",
                        (const char *) g_ptr_array_index (opts->args, 3));
  if (tc_cli_args_has (opts, "name") || tc_cli_args_has (opts, "purpose") ||
      tc_cli_args_has (opts, "language") || tc_cli_args_has (opts, "media-url") ||
      tc_cli_args_has (opts, "no-check"))
    return tc_cli_usage_error (usage_text, "'templates show' takes NAME, --kind, --version and --json");
  if (tc_cli_args_has (opts, "version") &&
      !g_ascii_string_to_unsigned (tc_cli_args_get (opts, "version"), 10, 1, G_MAXINT,
                                   &version, NULL))
    return tc_cli_usage_error (usage_text, "'--version' needs a version number from 1, not '%s'",
                               tc_cli_args_get (opts, "version"));
  name = g_ptr_array_index (opts->args, 2);

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), FALSE, &error);
  if (context == NULL)
    return tc_cli_fail ("%s", error->message);
  repository = tc_context_get_repository (context);

  template = find_existing (repository, kind, name, (int) version, &error);
  if (template == NULL)
    return tc_cli_fail ("%s", error->message);

  if (opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      add_template (builder, template);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      tc_cli_print_json (root);
    }
  else
    {
      const char *text = tc_template_get_kind (template) == TC_TEMPLATE_KIND_WHATSAPP
                           ? tc_template_get_definition (template)
                           : tc_template_get_body (template);

      /* The text exactly as stored, so that `show NAME > file` round-trips
       * through `save < file`. */
      fputs (text, stdout);
    }

  return EXIT_SUCCESS;
}

static void
add_state (JsonBuilder             *builder,
           const TcWaTemplateState *state)
{
  json_builder_begin_object (builder);
  add_string (builder, "name", state->name);
  add_string (builder, "language", state->language);
  add_string (builder, "status", state->status);
  add_string (builder, "reason", state->reason);
  add_string (builder, "category", state->category != NULL ? state->category : "");
  json_builder_end_object (builder);
}

static void
print_state (const TcWaTemplateState *state)
{
  if (state->reason[0] != '\0')
    g_print ("%s (%s): %s: %s\n", state->name, state->language, state->status, state->reason);
  else
    g_print ("%s (%s): %s\n", state->name, state->language, state->status);
}

/* Submits (@submit) or refreshes stored WhatsApp template @template with
 * @client, then stores what Meta said on it. */
static TcWaTemplateState *
sync_template (TcWaTemplatesClient  *client,
               TcRepository         *repository,
               TcTemplate           *template,
               gboolean              submit,
               GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(TcWaTemplate) model = NULL;
  g_autoptr(TcWaTemplateState) state = NULL;

  node = json_from_string (tc_template_get_definition (template), error);
  if (node == NULL)
    return NULL;
  model = tc_wa_template_new_from_json (node, error);
  if (model == NULL)
    return NULL;

  if (submit)
    {
      tc_wa_templates_client_submit_async (client, model, NULL, tc_repository_store_result_cb, &result);
      tc_repository_wait (&result);
      state = tc_wa_templates_client_submit_finish (client, result, error);
    }
  else
    {
      tc_wa_templates_client_refresh_async (client, tc_wa_template_get_name (model),
                                            tc_wa_template_get_language (model),
                                            NULL, tc_repository_store_result_cb, &result);
      tc_repository_wait (&result);
      state = tc_wa_templates_client_refresh_finish (client, result, error);
    }
  if (state == NULL)
    return NULL;

  tc_wa_template_state_store_async (state, repository, tc_template_get_id (template), NULL,
                                    tc_repository_store_result_cb, &stored);
  tc_repository_wait (&stored);
  if (!tc_wa_template_state_store_finish (repository, stored, error))
    return NULL;

  return g_steal_pointer (&state);
}

static TcWaTemplatesClient *
open_client (TcRepository  *repository,
             GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TcWaTemplatesClient) client = NULL;

  tc_wa_templates_client_new_from_settings_async (repository, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  client = tc_wa_templates_client_new_from_settings_finish (result, error);
  if (client == NULL || !tc_wa_templates_client_check_configured (client, error))
    return NULL;

  return g_steal_pointer (&client);
}

/* Whether WhatsApp goes through the built-in simulator with no WhatsApp
 * Business Account set up: then the simulator reviews the templates. */
static gboolean
on_simulator (TcRepository *repository)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GHashTable) settings = NULL;
  const char *provider, *waba;

  tc_settings_get_all_async (repository, "", NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  settings = tc_settings_get_all_finish (repository, result, NULL);
  if (settings == NULL)
    return FALSE;
  provider = g_hash_table_lookup (settings, TC_SETTING_PROVIDER_WHATSAPP);
  waba = g_hash_table_lookup (settings, TC_SETTING_WHATSAPP_WABA_ID);

  return (provider == NULL || provider[0] == '\0' || strcmp (provider, "simulator") == 0) &&
         (waba == NULL || waba[0] == '\0');
}

/* `templates submit|refresh` on the simulator: the simulator's review
 * (tc-wa-templates-simulated.h) of template @name (NULL: every pending
 * one). Fills @states with what it said. */
static gboolean
sync_on_simulator (TcRepository  *repository,
                   const char    *name,
                   gboolean       submit,
                   GPtrArray     *states,
                   GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) reviewed = NULL;
  g_autoptr(TcTemplate) template = NULL;
  const char *names[] = { name, NULL };

  if (name != NULL)
    {
      const char *status;

      template = find_existing (repository, TC_TEMPLATE_KIND_WHATSAPP, name, 0, error);
      if (template == NULL)
        return FALSE;
      status = tc_template_get_status (template);
      if (submit && g_strcmp0 (status, "draft") != 0 && g_strcmp0 (status, "pending") != 0)
        {
          g_set_error (error, TC_WA_CLIENT_ERROR, TC_WA_CLIENT_ERROR_INVALID,
                       "“%s” was submitted already (it is %s); save a changed version to "
                       "submit again", name, status);
          return FALSE;
        }
      if (!submit && g_strcmp0 (status, "draft") == 0)
        {
          g_set_error (error, TC_WA_CLIENT_ERROR, TC_WA_CLIENT_ERROR_NOT_FOUND,
                       "the simulator has no template “%s”; submit it first", name);
          return FALSE;
        }
      if (!submit && g_strcmp0 (status, "pending") != 0)
        {
          /* Reviewed already: what was said stands. */
          TcWaTemplateState *state = g_new0 (TcWaTemplateState, 1);
          g_autoptr(JsonNode) definition = json_from_string (tc_template_get_definition (template),
                                                             NULL);
          const char *language = NULL;

          if (definition != NULL && JSON_NODE_HOLDS_OBJECT (definition))
            language = json_object_get_string_member_with_default (json_node_get_object (definition),
                                                                   "language", NULL);
          state->id = g_strdup ("");
          state->name = g_strdup (name);
          state->language = g_strdup (language != NULL ? language : tc_template_get_language (template));
          state->status = g_ascii_strup (status, -1);
          state->reason = g_strdup (tc_template_get_status_reason (template) != NULL
                                    ? tc_template_get_status_reason (template) : "");
          state->category = g_strdup ("");
          g_ptr_array_add (states, state);
          return TRUE;
        }
    }

  tc_wa_templates_review_simulated_async (repository, submit ? names : NULL, NULL,
                                          tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  reviewed = tc_wa_templates_review_simulated_finish (repository, result, NULL, error);
  if (reviewed == NULL)
    return FALSE;
  for (guint i = 0; i < reviewed->len; i++)
    {
      const TcWaTemplateState *state = g_ptr_array_index (reviewed, i);

      if (name == NULL || strcmp (state->name, name) == 0)
        g_ptr_array_add (states, tc_wa_template_state_copy (state));
    }

  return TRUE;
}

/* `templates submit NAME` (@submit) and `templates refresh [NAME]`. */
static int
cmd_sync (TcCliArgs  *opts,
          gboolean  submit)
{
  const char *command = submit ? "submit" : "refresh";
  g_autoptr(TcContext) context = NULL;
  g_autoptr(TcWaTemplatesClient) client = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GPtrArray) states = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_wa_template_state_free);
  g_autoptr(GError) error = NULL;
  TcRepository *repository;

  if (submit && opts->args->len < 3)
    return tc_cli_usage_error (usage_text, "'templates submit' needs the template's name");
  if (opts->args->len > 3)
    return tc_cli_usage_error (usage_text, "'templates %s' got an unexpected argument '%s'", command,
                               (const char *) g_ptr_array_index (opts->args, 3));
  if (tc_cli_args_has (opts, "kind") || tc_cli_args_has (opts, "name") ||
      tc_cli_args_has (opts, "purpose") || tc_cli_args_has (opts, "language") ||
      tc_cli_args_has (opts, "version"))
    return tc_cli_usage_error (usage_text, "'templates %s' takes only %s and --json", command,
                               submit ? "NAME" : "[NAME]");

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), FALSE, &error);
  if (context == NULL)
    return tc_cli_fail ("%s", error->message);
  repository = tc_context_get_repository (context);

  if (on_simulator (repository))
    {
      const char *name = opts->args->len == 3 ? g_ptr_array_index (opts->args, 2) : NULL;

      if (!sync_on_simulator (repository, name, submit, states, &error))
        {
          if (name != NULL)
            return tc_cli_fail ("cannot %s “%s”: %s", command, name, error->message);
          return tc_cli_fail ("cannot %s: %s", command, error->message);
        }
      goto print;
    }

  client = open_client (repository, &error);
  if (client == NULL)
    return tc_cli_fail ("%s", error->message);

  if (opts->args->len == 3)
    {
      TcTemplate *template = find_existing (repository, TC_TEMPLATE_KIND_WHATSAPP,
                                            g_ptr_array_index (opts->args, 2), 0, &error);

      if (template == NULL)
        return tc_cli_fail ("%s", error->message);
      templates = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (templates, template);
    }
  else
    {
      g_autoptr(GAsyncResult) result = NULL;

      tc_repository_list_templates_async (repository, TC_TEMPLATE_KIND_WHATSAPP, NULL,
                                          tc_repository_store_result_cb, &result);
      tc_repository_wait (&result);
      templates = tc_repository_list_templates_finish (repository, result, &error);
      if (templates == NULL)
        return tc_cli_fail ("cannot list the templates: %s", error->message);
    }

  for (guint i = 0; i < templates->len; i++)
    {
      TcTemplate *template = g_ptr_array_index (templates, i);
      TcWaTemplateState *state;

      /* Without a name, only what was submitted has a status at Meta. */
      if (!submit && opts->args->len < 3 && g_strcmp0 (tc_template_get_status (template), "draft") == 0)
        continue;

      state = sync_template (client, repository, template, submit, &error);
      if (state == NULL)
        return tc_cli_fail ("cannot %s “%s”: %s", command, tc_template_get_name (template), error->message);
      g_ptr_array_add (states, state);
    }

print:
  if (opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      if (!submit)
        json_builder_begin_array (builder);
      for (guint i = 0; i < states->len; i++)
        add_state (builder, g_ptr_array_index (states, i));
      if (!submit)
        json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      tc_cli_print_json (root);
    }
  else
    {
      for (guint i = 0; i < states->len; i++)
        print_state (g_ptr_array_index (states, i));
    }

  return EXIT_SUCCESS;
}

/* `templates remote`: every template Meta has for the account, also the
 * ones made in its Business Manager. */
static int
cmd_remote (TcCliArgs *opts)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(TcWaTemplatesClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) states = NULL;
  g_autoptr(GError) error = NULL;

  if (opts->args->len > 2)
    return tc_cli_usage_error (usage_text, "'templates remote' got an unexpected argument '%s'",
                               (const char *) g_ptr_array_index (opts->args, 2));
  if (tc_cli_args_has (opts, "kind") || tc_cli_args_has (opts, "name") ||
      tc_cli_args_has (opts, "purpose") || tc_cli_args_has (opts, "language") ||
      tc_cli_args_has (opts, "version"))
    return tc_cli_usage_error (usage_text, "'templates remote' takes only --json");

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), FALSE, &error);
  if (context == NULL)
    return tc_cli_fail ("%s", error->message);
  client = open_client (tc_context_get_repository (context), &error);
  if (client == NULL)
    return tc_cli_fail ("%s", error->message);

  tc_wa_templates_client_list_async (client, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  states = tc_wa_templates_client_list_finish (client, result, &error);
  if (states == NULL)
    return tc_cli_fail ("cannot list the templates at Meta: %s", error->message);

  if (opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < states->len; i++)
        add_state (builder, g_ptr_array_index (states, i));
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      tc_cli_print_json (root);
    }
  else
    for (guint i = 0; i < states->len; i++)
      print_state (g_ptr_array_index (states, i));

  return EXIT_SUCCESS;
}

int
tc_cli_templates_main (int    argc,
                       char **argv)
{
  TcCliArgs opts = { NULL, NULL, FALSE, FALSE };
  const char *command;
  int status;

  /* Parsed, --help answered, an empty --db refused: or the exit status. */
  if ((status = tc_cli_args_start (&opts, option_specs, usage_text, argc, argv)) >= 0)
    goto out;

  g_assert (opts.args->len > 0 && strcmp (g_ptr_array_index (opts.args, 0), "templates") == 0);
  if (opts.args->len < 2)
    {
      status = tc_cli_usage_error (usage_text, "'templates' needs a command: list, save, show, submit, refresh or remote");
      goto out;
    }

  command = g_ptr_array_index (opts.args, 1);
  if (strcmp (command, "list") == 0)
    status = cmd_list (&opts);
  else if (strcmp (command, "save") == 0)
    status = cmd_save (&opts);
  else if (strcmp (command, "show") == 0)
    status = cmd_show (&opts);
  else if (strcmp (command, "submit") == 0)
    status = cmd_sync (&opts, TRUE);
  else if (strcmp (command, "refresh") == 0)
    status = cmd_sync (&opts, FALSE);
  else if (strcmp (command, "remote") == 0)
    status = cmd_remote (&opts);
  else
    status = tc_cli_usage_error (usage_text, "unknown command 'templates %s'", command);

out:
  fflush (stdout);
  tc_cli_args_clear (&opts);

  return status;
}
