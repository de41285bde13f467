/* bench-sms.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How long tc_sms_count() takes per message, on a mixed set of marketing
 * texts: GSM-7 single and multi-segment, extension characters, UCS-2 with
 * accents, Cyrillic, emoji, and flags and ZWJ sequences across a segment
 * boundary (the only case that asks ICU). Prints its figures; never fails
 * on a slow machine.
 */

#define G_LOG_DOMAIN "bench-sms"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tc-sms.h"

#define ROUNDS 1000000

static const struct
{
  const char *label;
  const char *text;
} messages[] = {
  { "gsm7 1 segment",
    "Hi Anna, your order #48213 has shipped! Track it at https://tc.example/t/8Xk2 - "
    "reply STOP to opt out. Thanks for shopping with Acme Store today" },
  { "gsm7 escapes",
    "Flash sale: 20% off everything until midnight with code SAVE20 at acme.example/sale "
    "{limited stock} - 5 EUR shipping. Reply STOP to opt out." },
  { "gsm7 2 segments",
    "Dear customer, this is a reminder that your appointment with Dr. Smith is scheduled "
    "for tomorrow at 10:30 AM at the Main Street clinic. Please arrive 15 minutes early to "
    "complete paperwork. If you need to reschedule, call 555-0100. Reply STOP to opt out." },
  { "gsm7 2 segments, euro and crlf",
    "Your Acme invoice is ready: 49,90 € due on 1 March.\r\nPay online at "
    "https://acme.example/pay/8812 or by bank transfer [ref 8812].\r\nQuestions? Call us "
    "on 0800 123 456 {Mon-Fri}. Reply STOP to opt out of billing reminders please." },
  { "ucs2 accents",
    "Hola José, tu pedido está en camino. Llegará el miércoles. ¡Gracias por tu compra en "
    "Tienda Acme! Responde STOP para darte de baja ahora" },
  { "ucs2 cyrillic",
    "Здравствуйте, Анна! Ваш заказ отправлен. Спасибо за покупку!" },
  { "ucs2 emoji",
    "Hi Tom 👋 your table for 4 is booked for Friday 8pm 🎉 See you soon! Reply STOP to "
    "opt out. Acme Bistro, 12 High St. Call us anytime 🍝" },
  { "ucs2 curly quotes",
    "It’s here! Our new collection — shop now… Don’t miss it. Reply STOP to opt out of "
    "Acme marketing messages today please, friends" },
  { "ucs2 flags and zwj, 3 segments",
    "Bonjour 🇫🇷! Profitez de -30% sur toute la boutique ce week-end seulement. Code: "
    "PARIS30. Livraison gratuite dès 50€. Répondez STOP pour vous désinscrire de nos "
    "messages. À bientôt 🇫🇷👨‍👩‍👧" },
};

int
main (int   argc,
      char *argv[])
{
  gsize lens[G_N_ELEMENTS (messages)];
  guint64 checksum = 0;
  gint64 start;
  double ns;

  g_print ("tc_sms_count, %d rounds per figure\n", ROUNDS);

  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    {
      TcSmsCount count;

      lens[i] = strlen (messages[i].text);
      start = g_get_monotonic_time ();
      for (guint k = 0; k < ROUNDS; k++)
        {
          tc_sms_count (messages[i].text, (gssize) lens[i], &count);
          checksum += count.segments;
        }
      ns = (double) (g_get_monotonic_time () - start) * 1000.0 / ROUNDS;
      g_print ("  %-32s %s %u segment(s) %3u units %4" G_GSIZE_FORMAT " bytes: %7.1f ns\n",
               messages[i].label, tc_sms_encoding_to_string (count.encoding), count.segments,
               count.units, lens[i], ns);
    }

  start = g_get_monotonic_time ();
  for (guint k = 0; k < ROUNDS * G_N_ELEMENTS (messages); k++)
    {
      guint i = k % G_N_ELEMENTS (messages);
      TcSmsCount count;

      tc_sms_count (messages[i].text, (gssize) lens[i], &count);
      checksum += count.segments;
    }
  ns = (double) (g_get_monotonic_time () - start) * 1000.0 / (ROUNDS * G_N_ELEMENTS (messages));
  g_print ("  mixed, round robin: %.1f ns/message (%.0f messages/s on one core)\n",
           ns, 1e9 / ns);

  /* Keeps the loops from being optimised away. */
  return checksum == 0;
}
