/* tc-compliance-texts.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built-in texts of the compliance messages: the double opt-in request,
 * and the replies to an opt-out, an opt-in, HELP, and a confirmed double
 * opt-in, in en, fr, es, de, it, pt and nl. They are Mustache with
 * {{program}}, {{frequency}} and {{support}} (rendered by
 * _tc_db_compliance_text()); the support contact is in a section so that
 * an unset one leaves no gap.
 *
 * Rules every text here keeps (tests/test-keywords.c checks them):
 * - one GSM-7 segment (160 septets) with a 20-character program name, a
 *   25-character frequency and a 30-character support contact. So no
 *   á í ó ú ç ã õ ê â: they are outside GSM-7 and would make the reply
 *   UCS-2, 70 characters a segment. Where a language needs one, the
 *   sentence is turned another way ("Ya no te enviaremos mensajes");
 *   é è à ù ì ò ä ö ü ß ñ are GSM-7 and stay.
 * - each says how to stop (STOP, which every list understands);
 * - the opt-out reply only confirms: no offer, no link, only how to come
 *   back (START, which every language understands too);
 * - the HELP reply names the program, the frequency, the cost of
 *   messages ("Msg & data rates may apply" in English) and the support
 *   contact.
 */

#define G_LOG_DOMAIN "tc-compliance-texts"

#include "config.h"

#include <string.h>

#include "tc-settings.h"

typedef struct
{
  const char *language;
  const char *confirm;
  const char *opt_out;
  const char *opt_in;
  const char *help;
  const char *confirmed;
} Texts;

/* English first: it is the fallback. */
static const Texts texts[] = {
  {
    "en",
    "{{program}}: Reply YES to confirm you want to receive our messages. {{frequency}}. "
    "Msg & data rates may apply. Reply STOP to cancel.",
    "{{program}}: You are unsubscribed and will receive no more messages. "
    "Reply START to resubscribe.",
    "{{program}}: You are subscribed. {{frequency}}. Msg & data rates may apply. "
    "Reply HELP for help, STOP to cancel.",
    "{{program}}: {{#support}}Help at {{support}}. {{/support}}{{frequency}}. "
    "Msg & data rates may apply. Reply STOP to cancel.",
    "{{program}}: Thanks, you are subscribed. {{frequency}}. Msg & data rates may apply. "
    "Reply HELP for help, STOP to cancel.",
  },
  {
    "fr",
    "{{program}} : répondez OUI pour confirmer que vous voulez recevoir nos messages. "
    "Répondez STOP pour vous désabonner.",
    "{{program}} : désabonnement confirmé, vous ne recevrez plus de messages. "
    "Répondez START pour vous réabonner.",
    "{{program}} : abonnement confirmé. {{frequency}}. Frais de SMS possibles. "
    "Répondez AIDE pour de l'aide, STOP pour vous désabonner.",
    "{{program}} : {{#support}}aide au {{support}}. {{/support}}{{frequency}}. "
    "Frais de SMS possibles. Répondez STOP pour vous désabonner.",
    "{{program}} : merci, votre abonnement est confirmé. {{frequency}}. "
    "Répondez AIDE pour de l'aide, STOP pour vous désabonner.",
  },
  {
    "es",
    "{{program}}: Responde SI para confirmar que quieres recibir nuestros mensajes. "
    "Responde STOP para cancelar.",
    "{{program}}: Baja confirmada. Ya no te enviaremos mensajes. "
    "Responde START para volver a suscribirte.",
    "{{program}}: Te has suscrito. {{frequency}}. Pueden aplicarse tarifas de SMS y datos. "
    "Responde AYUDA para ayuda, STOP para cancelar.",
    "{{program}}: {{#support}}ayuda en {{support}}. {{/support}}{{frequency}}. "
    "Pueden aplicarse tarifas de SMS y datos. Responde STOP para cancelar.",
    "{{program}}: Gracias, te has suscrito. {{frequency}}. "
    "Responde AYUDA para ayuda, STOP para cancelar.",
  },
  {
    "de",
    "{{program}}: Antworte JA, um den Empfang unserer Nachrichten zu bestätigen. "
    "Antworte STOP zum Abmelden.",
    "{{program}}: Du bist abgemeldet und erhältst keine Nachrichten mehr. "
    "Antworte START, um dich wieder anzumelden.",
    "{{program}}: Du bist angemeldet. {{frequency}}. Es können SMS- und Datenkosten anfallen. "
    "Antworte HILFE für Hilfe, STOP zum Abmelden.",
    "{{program}}: {{#support}}Hilfe: {{support}}. {{/support}}{{frequency}}. "
    "Es können SMS- und Datenkosten anfallen. Antworte STOP zum Abmelden.",
    "{{program}}: Danke, deine Anmeldung ist bestätigt. {{frequency}}. "
    "Antworte HILFE für Hilfe, STOP zum Abmelden.",
  },
  {
    "it",
    "{{program}}: Rispondi SI per confermare che vuoi ricevere i nostri messaggi. "
    "Rispondi STOP per annullare.",
    "{{program}}: Iscrizione annullata, non riceverai più messaggi. "
    "Rispondi START per iscriverti di nuovo.",
    "{{program}}: Iscrizione attivata. {{frequency}}. Possibili costi per SMS e dati. "
    "Rispondi AIUTO per assistenza, STOP per annullare.",
    "{{program}}: {{#support}}assistenza {{support}}. {{/support}}{{frequency}}. "
    "Possibili costi per SMS e dati. Rispondi STOP per annullare.",
    "{{program}}: Grazie, iscrizione confermata. {{frequency}}. "
    "Rispondi AIUTO per assistenza, STOP per annullare.",
  },
  {
    "pt",
    "{{program}}: Responda SIM para confirmar que quer receber as nossas mensagens. "
    "Responda STOP para cancelar.",
    "{{program}}: Cancelamento confirmado. Nenhuma nova mensagem vai ser enviada. "
    "Responda START para voltar a receber.",
    "{{program}}: Tudo certo, vai receber as nossas mensagens. {{frequency}}. "
    "Responda AJUDA para ajuda, STOP para cancelar.",
    "{{program}}: {{#support}}ajuda: {{support}}. {{/support}}{{frequency}}. "
    "Podem ser cobradas tarifas de SMS e dados. Responda STOP para cancelar.",
    "{{program}}: Obrigado, confirmado. {{frequency}}. "
    "Responda AJUDA para ajuda, STOP para cancelar.",
  },
  {
    "nl",
    "{{program}}: Antwoord JA om te bevestigen dat je onze berichten wilt ontvangen. "
    "Antwoord STOP om je af te melden.",
    "{{program}}: Je bent afgemeld en ontvangt geen berichten meer. "
    "Antwoord START om je weer aan te melden.",
    "{{program}}: Je bent aangemeld. {{frequency}}. Er kunnen sms- en datakosten gelden. "
    "Antwoord HELP voor hulp, STOP om je af te melden.",
    "{{program}}: {{#support}}hulp: {{support}}. {{/support}}{{frequency}}. "
    "Er kunnen sms- en datakosten gelden. Antwoord STOP om je af te melden.",
    "{{program}}: Bedankt, je aanmelding is bevestigd. {{frequency}}. "
    "Antwoord HELP voor hulp, STOP om je af te melden.",
  },
};

static const Texts *
texts_for (const char *language)
{
  gsize n;

  if (language == NULL)
    return &texts[0];

  /* "fr-CA", "fr_CA" and "FR" all mean "fr". */
  n = strcspn (language, "-_.@");
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    if (n == strlen (texts[i].language)
        && g_ascii_strncasecmp (language, texts[i].language, n) == 0)
      return &texts[i];

  return &texts[0];
}

/**
 * tc_settings_default_text:
 * @prefix: %TC_SETTING_CONFIRM_TEXT_PREFIX, %TC_SETTING_REPLY_OPTOUT_PREFIX,
 *   %TC_SETTING_REPLY_OPTIN_PREFIX, %TC_SETTING_REPLY_HELP_PREFIX or
 *   %TC_SETTING_REPLY_CONFIRMED_PREFIX
 * @language: (nullable): a language ("fr") or locale ("fr_CA", "fr-CA")
 *
 * A language without texts gets the English one: the very same pointer,
 * so a caller can tell that it fell back.
 *
 * Returns: (transfer none) (nullable): the Mustache source, %NULL for an
 *   unknown @prefix
 */
const char *
tc_settings_default_text (const char *prefix,
                          const char *language)
{
  const Texts *t;

  g_return_val_if_fail (prefix != NULL, NULL);

  t = texts_for (language);
  if (strcmp (prefix, TC_SETTING_CONFIRM_TEXT_PREFIX) == 0)
    return t->confirm;
  if (strcmp (prefix, TC_SETTING_REPLY_OPTOUT_PREFIX) == 0)
    return t->opt_out;
  if (strcmp (prefix, TC_SETTING_REPLY_OPTIN_PREFIX) == 0)
    return t->opt_in;
  if (strcmp (prefix, TC_SETTING_REPLY_HELP_PREFIX) == 0)
    return t->help;
  if (strcmp (prefix, TC_SETTING_REPLY_CONFIRMED_PREFIX) == 0)
    return t->confirmed;

  return NULL;
}
