/* tc-sample.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sample workspace: a few hundred customers of a made-up home-goods shop,
 * "Larkspur & Co.", spread over thirteen countries, so that a newcomer sees
 * a living app at once.
 *
 * Every phone number is checked with tc_phone_parse() before it is used, and
 * its region and time zones are taken from that parse, exactly as an import
 * would store them. In the NANP (US, Canada) the numbers come from the
 * 555-0100…555-0199 block of each real area code, which is reserved for
 * fiction; in Australia from 0491 57x, the range set aside for the same
 * purpose. Other countries have no such range that libphonenumber accepts,
 * so their numbers are random ones in real mobile ranges.
 *
 * The generator draws everything from one GRand seeded with @seed, in a
 * fixed order, so a seed always gives the same people, numbers, tags and
 * consent history (dates are relative to "now").
 */

#define G_LOG_DOMAIN "tc-sample"

#include "config.h"

#include <string.h>

#include "tc-consent-ledger.h"
#include "tc-consent.h"
#include "tc-phone.h"
#include "tc-repository-private.h"
#include "tc-sample.h"

#define SHOP_NAME "Larkspur & Co."

/* A number is redrawn at most this many times before the generator gives
 * up on that city (it then tries another one). */
#define MAX_NUMBER_ATTEMPTS 64

typedef struct
{
  const char *name;
  /* The national significant number: X any digit, N 2-9, M 6-9, anything
   * else literal. NULL: draw from the country's mobile patterns. */
  const char *pattern;
} City;

typedef struct
{
  const char         *language;
  const char         *form;              /* checkout box / web form wording */
  const char         *keyword;           /* the promotional keyword */
  const char         *keyword_reply;     /* the terms sent back on the keyword */
  const char         *stop_word;         /* what people reply to opt out */
  const char         *whatsapp;          /* WhatsApp opt-in wording */
  const char         *transactional;     /* order updates by text */
  const char * const *categories;        /* favourite shop categories */
} Wording;

typedef struct
{
  const char         *region;
  const char         *calling_code;
  const Wording      *wording;
  const char * const *first_names;
  const char * const *last_names;
  const char * const *domains;
  const City         *cities;            /* terminated by { NULL, NULL } */
  const char * const *mobile_patterns;   /* for cities without a pattern */
  guint               weight;            /* relative share of contacts */
  guint               whatsapp_percent;  /* how many use WhatsApp with the shop */
} Country;

/* Wording, one per language; each is what the shop shows or sends, so the
 * consent records carry the exact words people agreed to. */

static const char * const categories_en[] = { "kitchen", "candles", "tea", "home decor", "garden", "gifts", NULL };
static const char * const categories_fr[] = { "cuisine", "bougies", "thé", "décoration", "jardin", "cadeaux", NULL };
static const char * const categories_de[] = { "Küche", "Kerzen", "Tee", "Wohnen", "Garten", "Geschenke", NULL };
static const char * const categories_es[] = { "cocina", "velas", "té", "decoración", "jardín", "regalos", NULL };
static const char * const categories_it[] = { "cucina", "candele", "tè", "arredo", "giardino", "regali", NULL };
static const char * const categories_nl[] = { "keuken", "kaarsen", "thee", "wonen", "tuin", "cadeaus", NULL };
static const char * const categories_pt[] = { "cozinha", "velas", "chá", "decoração", "jardim", "presentes", NULL };

static const Wording wording_en = {
  "en",
  "Yes, text me offers and news from " SHOP_NAME " (up to 4 msgs/month). Msg & data rates may apply. Reply STOP to opt out, HELP for help. Consent is not a condition of purchase.",
  "DEALS",
  SHOP_NAME ": You're in! Expect up to 4 deals a month. Msg & data rates may apply. Reply STOP to cancel, HELP for help.",
  "STOP",
  "Yes, send me offers and news from " SHOP_NAME " on WhatsApp. I can stop at any time by replying STOP.",
  "Send me order and delivery updates by text message.",
  categories_en,
};

static const Wording wording_fr = {
  "fr",
  "Oui, je souhaite recevoir par SMS les offres et nouveautés de " SHOP_NAME " (4 SMS/mois max.). Envoyez STOP pour vous désabonner.",
  "PROMO",
  SHOP_NAME " : c'est fait ! Jusqu'à 4 offres par mois. Envoyez STOP pour vous désabonner, AIDE pour de l'aide.",
  "STOP",
  "Oui, envoyez-moi les offres de " SHOP_NAME " sur WhatsApp. Je peux arrêter à tout moment en répondant STOP.",
  "Recevoir le suivi de ma commande et de la livraison par SMS.",
  categories_fr,
};

static const Wording wording_de = {
  "de",
  "Ja, ich möchte Angebote und Neuigkeiten von " SHOP_NAME " per SMS erhalten (max. 4 SMS/Monat). Abmeldung jederzeit mit STOPP.",
  "ANGEBOTE",
  SHOP_NAME ": Du bist dabei! Bis zu 4 Angebote im Monat. Antworte STOPP zum Abmelden, HILFE für Hilfe.",
  "STOPP",
  "Ja, schickt mir Angebote von " SHOP_NAME " über WhatsApp. Ich kann mich jederzeit mit STOPP abmelden.",
  "Bestell- und Versandinfos per SMS erhalten.",
  categories_de,
};

static const Wording wording_es = {
  "es",
  "Sí, quiero recibir por SMS ofertas y novedades de " SHOP_NAME " (máx. 4 SMS/mes). Responde BAJA para darte de baja.",
  "OFERTAS",
  SHOP_NAME ": ¡Ya estás dentro! Hasta 4 ofertas al mes. Responde BAJA para darte de baja, AYUDA para ayuda.",
  "BAJA",
  "Sí, enviadme ofertas de " SHOP_NAME " por WhatsApp. Puedo darme de baja cuando quiera respondiendo BAJA.",
  "Recibir por SMS el estado de mi pedido y del envío.",
  categories_es,
};

static const Wording wording_it = {
  "it",
  "Sì, voglio ricevere via SMS offerte e novità di " SHOP_NAME " (max 4 SMS/mese). Rispondi STOP per annullare l'iscrizione.",
  "OFFERTE",
  SHOP_NAME ": iscrizione confermata! Fino a 4 offerte al mese. Rispondi STOP per annullare, AIUTO per assistenza.",
  "STOP",
  "Sì, inviatemi le offerte di " SHOP_NAME " su WhatsApp. Posso smettere in qualsiasi momento rispondendo STOP.",
  "Ricevere aggiornamenti su ordine e consegna via SMS.",
  categories_it,
};

static const Wording wording_nl = {
  "nl",
  "Ja, stuur mij aanbiedingen en nieuws van " SHOP_NAME " per sms (max. 4 sms/maand). Afmelden kan altijd met STOP.",
  "AANBIEDING",
  SHOP_NAME ": je bent aangemeld! Maximaal 4 aanbiedingen per maand. Stuur STOP om je af te melden.",
  "STOP",
  "Ja, stuur mij aanbiedingen van " SHOP_NAME " via WhatsApp. Ik kan altijd stoppen door STOP te sturen.",
  "Bestel- en bezorgupdates per sms ontvangen.",
  categories_nl,
};

static const Wording wording_pt = {
  "pt",
  "Sim, quero receber ofertas e novidades da " SHOP_NAME " por SMS (máx. 4 SMS/mês). Responda SAIR para cancelar.",
  "OFERTAS",
  SHOP_NAME ": cadastro feito! Até 4 ofertas por mês. Responda SAIR para cancelar, AJUDA para ajuda.",
  "SAIR",
  "Sim, quero receber ofertas da " SHOP_NAME " pelo WhatsApp. Posso sair quando quiser respondendo SAIR.",
  "Receber atualizações do pedido e da entrega por SMS.",
  categories_pt,
};

/* Names: common given names across generations and backgrounds, and each
 * country's most common family names. */

static const char * const first_us[] = {
  "James", "Mary", "Olivia", "Liam", "Emma", "Noah", "Ava", "Ethan", "Sophia", "Mason",
  "Isabella", "Lucas", "Mia", "Harper", "Elijah", "Chloe", "Daniel", "Grace", "Jackson",
  "Maya", "Carlos", "Priya", "Wei", "Jasmine", "Marcus", "Linda", "Robert", "Keisha", NULL };
static const char * const last_us[] = {
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
  "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
  "Jackson", "Lee", "Nguyen", "Patel", "Kim", "O'Brien", "Washington", "Cohen", NULL };
static const char * const domains_us[] = {
  "gmail.com", "yahoo.com", "outlook.com", "icloud.com", "hotmail.com", "aol.com", NULL };

static const char * const first_ca[] = {
  "Liam", "Olivia", "Noah", "Emma", "Benjamin", "Charlotte", "Lucas", "Amelia", "Owen",
  "Ava", "Ethan", "Harper", "Jasleen", "Wyatt", "Hannah", "Arjun", "Mei", NULL };
static const char * const last_ca[] = {
  "Smith", "Brown", "Martin", "Wilson", "MacDonald", "Taylor", "Campbell", "Anderson",
  "Leblanc", "Singh", "Chen", "Wong", "Lee", "Thompson", "Fraser", "Gill", NULL };
static const char * const domains_ca[] = {
  "gmail.com", "outlook.com", "rogers.com", "shaw.ca", "bell.net", "yahoo.ca", NULL };

static const char * const first_qc[] = {
  "Félix", "Léa", "William", "Florence", "Thomas", "Alice", "Samuel", "Juliette", "Émile",
  "Rosalie", "Jacob", "Béatrice", "Louis", "Charlotte", "Mathis", "Chloé", NULL };
static const char * const last_qc[] = {
  "Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin",
  "Gagné", "Ouellet", "Pelletier", "Bélanger", "Lévesque", NULL };
static const char * const domains_qc[] = {
  "videotron.ca", "gmail.com", "hotmail.com", "outlook.com", NULL };

static const char * const first_gb[] = {
  "Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Mia", "Charlie", "Freya",
  "Thomas", "Poppy", "Alfie", "Emily", "Oscar", "Sophie", "Arjun", "Aisha", "Callum",
  "Niamh", NULL };
static const char * const last_gb[] = {
  "Smith", "Jones", "Taylor", "Williams", "Brown", "Davies", "Evans", "Wilson", "Thomas",
  "Roberts", "Johnson", "Walker", "Wright", "Robinson", "Thompson", "Khan", "Patel",
  "Hughes", "O'Connor", "McDonald", NULL };
static const char * const domains_gb[] = {
  "gmail.com", "outlook.com", "btinternet.com", "yahoo.co.uk", "sky.com", "hotmail.co.uk", NULL };

static const char * const first_de[] = {
  "Lukas", "Mia", "Leon", "Emma", "Finn", "Hannah", "Paul", "Sophie", "Jonas", "Lena",
  "Felix", "Marie", "Maximilian", "Anna", "Elias", "Lea", "Jürgen", "Ursula", "Mehmet",
  "Ayşe", NULL };
static const char * const last_de[] = {
  "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
  "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
  "Schröder", "Neumann", "Yılmaz", NULL };
static const char * const domains_de[] = {
  "gmx.de", "web.de", "t-online.de", "gmail.com", "posteo.de", NULL };

static const char * const first_fr[] = {
  "Gabriel", "Louise", "Raphaël", "Jade", "Léo", "Ambre", "Louis", "Emma", "Arthur",
  "Alice", "Jules", "Chloé", "Hugo", "Léna", "Nathan", "Inès", "Camille", "Mathilde",
  "Yanis", NULL };
static const char * const last_fr[] = {
  "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
  "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David",
  "Bertrand", "Roux", "Fontaine", "Benali", NULL };
static const char * const domains_fr[] = {
  "orange.fr", "free.fr", "gmail.com", "laposte.net", "sfr.fr", "wanadoo.fr", NULL };

static const char * const first_es[] = {
  "Hugo", "Lucía", "Martín", "Sofía", "Pablo", "María", "Daniel", "Martina", "Alejandro",
  "Paula", "Álvaro", "Julia", "Javier", "Carmen", "Sergio", "Elena", "Jordi", "Nerea", NULL };
static const char * const last_es[] = {
  "García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez",
  "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz",
  "Álvarez", "Romero", NULL };
static const char * const domains_es[] = {
  "gmail.com", "hotmail.es", "yahoo.es", "outlook.es", "telefonica.net", NULL };

static const char * const first_it[] = {
  "Leonardo", "Sofia", "Francesco", "Giulia", "Alessandro", "Aurora", "Lorenzo", "Alice",
  "Mattia", "Ginevra", "Tommaso", "Emma", "Giuseppe", "Chiara", "Marco", "Francesca", NULL };
static const char * const last_it[] = {
  "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
  "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", NULL };
static const char * const domains_it[] = {
  "gmail.com", "libero.it", "virgilio.it", "alice.it", "hotmail.it", NULL };

static const char * const first_nl[] = {
  "Noah", "Emma", "Daan", "Julia", "Sem", "Tess", "Lucas", "Sophie", "Finn", "Anna",
  "Levi", "Fleur", "Jesse", "Sanne", "Thijs", "Lotte", NULL };
static const char * const last_nl[] = {
  "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen",
  "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", NULL };
static const char * const domains_nl[] = {
  "gmail.com", "ziggo.nl", "kpnmail.nl", "hotmail.nl", "outlook.com", NULL };

static const char * const first_br[] = {
  "Miguel", "Helena", "Arthur", "Alice", "Gael", "Laura", "Heitor", "Maria Clara", "Theo",
  "Valentina", "Davi", "Heloísa", "Gabriel", "Beatriz", "João", "Ana", NULL };
static const char * const last_br[] = {
  "Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira",
  "Lima", "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "Almeida", "Nascimento", NULL };
static const char * const domains_br[] = {
  "gmail.com", "uol.com.br", "bol.com.br", "hotmail.com", "terra.com.br", NULL };

static const char * const first_mx[] = {
  "Santiago", "Sofía", "Mateo", "Valentina", "Sebastián", "Regina", "Leonardo", "Camila",
  "Diego", "Ximena", "Emiliano", "María José", "José Luis", "Guadalupe", "Luis", "Fernanda", NULL };
static const char * const last_mx[] = {
  "Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez", "Sánchez",
  "Ramírez", "Cruz", "Flores", "Gómez", "Morales", "Vázquez", "Reyes", "Jiménez", NULL };
static const char * const domains_mx[] = {
  "gmail.com", "hotmail.com", "outlook.com", "yahoo.com.mx", "prodigy.net.mx", NULL };

static const char * const first_au[] = {
  "Jack", "Charlotte", "William", "Olivia", "Noah", "Mia", "Lachlan", "Chloe", "Cooper",
  "Ruby", "Henry", "Matilda", "Oliver", "Isla", "Thomas", "Zoe", NULL };
static const char * const last_au[] = {
  "Smith", "Jones", "Williams", "Brown", "Wilson", "Taylor", "Nguyen", "Johnson",
  "Martin", "White", "Anderson", "Walker", "Thompson", "Kelly", "Ryan", "Papadopoulos", NULL };
static const char * const domains_au[] = {
  "gmail.com", "bigpond.com", "optusnet.com.au", "outlook.com", "icloud.com", NULL };

static const char * const first_in[] = {
  "Aarav", "Ananya", "Vivaan", "Diya", "Aditya", "Saanvi", "Arjun", "Isha", "Rohan",
  "Priya", "Karthik", "Lakshmi", "Rahul", "Neha", "Vikram", "Meera", NULL };
static const char * const last_in[] = {
  "Sharma", "Patel", "Singh", "Kumar", "Gupta", "Reddy", "Iyer", "Nair", "Desai", "Joshi",
  "Mehta", "Rao", "Banerjee", "Chatterjee", "Khan", "Menon", NULL };
static const char * const domains_in[] = {
  "gmail.com", "rediffmail.com", "yahoo.co.in", "outlook.com", NULL };

static const char * const first_za[] = {
  "Thabo", "Lerato", "Sipho", "Nomvula", "Johan", "Anika", "Pieter", "Zanele", "Mandla",
  "Thandiwe", "Ruan", "Kagiso", "Precious", "Ethan", "Amahle", "Liezel", NULL };
static const char * const last_za[] = {
  "Nkosi", "Dlamini", "Ndlovu", "Khumalo", "Botha", "van der Merwe", "Naidoo", "Mokoena",
  "Pretorius", "Smith", "Mahlangu", "Pillay", "Jacobs", "Venter", "Mthembu", NULL };
static const char * const domains_za[] = {
  "gmail.com", "mweb.co.za", "telkomsa.net", "webmail.co.za", "outlook.com", NULL };

/* Cities; in the NANP, Brazil and Mexico the area code says where. */

static const City cities_us[] = {
  { "San Francisco", "41555501XX" }, { "Los Angeles", "21355501XX" },
  { "Los Angeles", "31055501XX" }, { "San Diego", "61955501XX" },
  { "Seattle", "20655501XX" }, { "Portland", "50355501XX" },
  { "Denver", "30355501XX" }, { "Phoenix", "60255501XX" },
  { "Salt Lake City", "80155501XX" }, { "Austin", "51255501XX" },
  { "Houston", "71355501XX" }, { "Dallas", "21455501XX" },
  { "Chicago", "31255501XX" }, { "Minneapolis", "61255501XX" },
  { "Nashville", "61555501XX" }, { "New York", "21255501XX" },
  { "New York", "91755501XX" }, { "Boston", "61755501XX" },
  { "Philadelphia", "21555501XX" }, { "Miami", "30555501XX" },
  { "Atlanta", "40455501XX" }, { "Detroit", "31355501XX" },
  { "Honolulu", "80855501XX" }, { "Anchorage", "90755501XX" },
  { NULL, NULL } };
static const City cities_ca[] = {
  { "Toronto", "41655501XX" }, { "Vancouver", "60455501XX" },
  { "Calgary", "40355501XX" }, { "Edmonton", "78055501XX" },
  { "Winnipeg", "20455501XX" }, { "Halifax", "90255501XX" },
  { "Ottawa", "61355501XX" }, { "St. John's", "70955501XX" },
  { NULL, NULL } };
static const City cities_qc[] = {
  { "Montréal", "51455501XX" }, { "Québec", "41855501XX" },
  { "Gatineau", "81955501XX" }, { "Sherbrooke", "81955501XX" },
  { NULL, NULL } };
static const City cities_gb[] = {
  { "London", NULL }, { "Manchester", NULL }, { "Birmingham", NULL }, { "Leeds", NULL },
  { "Glasgow", NULL }, { "Edinburgh", NULL }, { "Bristol", NULL }, { "Cardiff", NULL },
  { "Liverpool", NULL }, { "Belfast", NULL }, { NULL, NULL } };
static const City cities_de[] = {
  { "Berlin", NULL }, { "Hamburg", NULL }, { "München", NULL }, { "Köln", NULL },
  { "Frankfurt am Main", NULL }, { "Stuttgart", NULL }, { "Düsseldorf", NULL },
  { "Leipzig", NULL }, { NULL, NULL } };
static const City cities_fr[] = {
  { "Paris", NULL }, { "Lyon", NULL }, { "Marseille", NULL }, { "Toulouse", NULL },
  { "Nantes", NULL }, { "Bordeaux", NULL }, { "Lille", NULL }, { "Strasbourg", NULL },
  { NULL, NULL } };
static const City cities_es[] = {
  { "Madrid", NULL }, { "Barcelona", NULL }, { "Valencia", NULL }, { "Sevilla", NULL },
  { "Bilbao", NULL }, { "Málaga", NULL }, { "Zaragoza", NULL }, { NULL, NULL } };
static const City cities_it[] = {
  { "Roma", NULL }, { "Milano", NULL }, { "Napoli", NULL }, { "Torino", NULL },
  { "Bologna", NULL }, { "Firenze", NULL }, { "Palermo", NULL }, { NULL, NULL } };
static const City cities_nl[] = {
  { "Amsterdam", NULL }, { "Rotterdam", NULL }, { "Den Haag", NULL }, { "Utrecht", NULL },
  { "Eindhoven", NULL }, { "Groningen", NULL }, { NULL, NULL } };
static const City cities_br[] = {
  { "São Paulo", "119MXXXXXXX" }, { "Rio de Janeiro", "219MXXXXXXX" },
  { "Belo Horizonte", "319MXXXXXXX" }, { "Brasília", "619MXXXXXXX" },
  { "Porto Alegre", "519MXXXXXXX" }, { "Recife", "819MXXXXXXX" },
  { "Manaus", "929MXXXXXXX" }, { "Salvador", "719MXXXXXXX" },
  { "Curitiba", "419MXXXXXXX" }, { "Fortaleza", "859MXXXXXXX" },
  { NULL, NULL } };
static const City cities_mx[] = {
  { "Ciudad de México", "55NXXXXXXX" }, { "Guadalajara", "33NXXXXXXX" },
  { "Monterrey", "81NXXXXXXX" }, { "Tijuana", "664NXXXXXX" },
  { "Cancún", "998NXXXXXX" }, { "Puebla", "222NXXXXXX" },
  { "Mérida", "999NXXXXXX" }, { "Hermosillo", "662NXXXXXX" },
  { NULL, NULL } };
static const City cities_au[] = {
  { "Sydney", NULL }, { "Melbourne", NULL }, { "Brisbane", NULL }, { "Perth", NULL },
  { "Adelaide", NULL }, { "Hobart", NULL }, { "Darwin", NULL }, { NULL, NULL } };
static const City cities_in[] = {
  { "Mumbai", NULL }, { "Delhi", NULL }, { "Bengaluru", NULL }, { "Chennai", NULL },
  { "Hyderabad", NULL }, { "Kolkata", NULL }, { "Pune", NULL }, { NULL, NULL } };
static const City cities_za[] = {
  { "Johannesburg", NULL }, { "Cape Town", NULL }, { "Durban", NULL },
  { "Pretoria", NULL }, { "Gqeberha", NULL }, { NULL, NULL } };

static const char * const mobile_gb[] = { "74XXXXXXXX", "75XXXXXXXX", "77XXXXXXXX", "78XXXXXXXX", "79XXXXXXXX", NULL };
static const char * const mobile_de[] = { "151XXXXXXXX", "152XXXXXXXX", "157XXXXXXXX", "160XXXXXXX", "170XXXXXXX",
                                          "171XXXXXXX", "172XXXXXXX", "176XXXXXXXX", "177XXXXXXX", "179XXXXXXX", NULL };
static const char * const mobile_fr[] = { "6XXXXXXXX", "75XXXXXXX", "76XXXXXXX", "77XXXXXXX", "78XXXXXXX", NULL };
static const char * const mobile_es[] = { "6XXXXXXXX", "71XXXXXXX", "72XXXXXXX", NULL };
static const char * const mobile_it[] = { "32XXXXXXXX", "33XXXXXXXX", "34XXXXXXXX", "35XXXXXXXX", "36XXXXXXXX",
                                          "38XXXXXXXX", "39XXXXXXXX", NULL };
static const char * const mobile_nl[] = { "61XXXXXXX", "62XXXXXXX", "63XXXXXXX", "64XXXXXXX", "65XXXXXXX", NULL };
static const char * const mobile_au[] = { "49157XXXX", NULL };
static const char * const mobile_in[] = { "9XXXXXXXXX", "8XXXXXXXXX", "7XXXXXXXXX", "6XXXXXXXXX", NULL };
static const char * const mobile_za[] = { "60XXXXXXX", "61XXXXXXX", "72XXXXXXX", "73XXXXXXX", "74XXXXXXX",
                                          "76XXXXXXX", "78XXXXXXX", "79XXXXXXX", "82XXXXXXX", "83XXXXXXX",
                                          "84XXXXXXX", NULL };

static const Country countries[] = {
  { "US", "1", &wording_en, first_us, last_us, domains_us, cities_us, NULL, 27, 12 },
  { "CA", "1", &wording_en, first_ca, last_ca, domains_ca, cities_ca, NULL, 5, 15 },
  { "CA", "1", &wording_fr, first_qc, last_qc, domains_qc, cities_qc, NULL, 3, 15 },
  { "GB", "44", &wording_en, first_gb, last_gb, domains_gb, cities_gb, mobile_gb, 10, 30 },
  { "DE", "49", &wording_de, first_de, last_de, domains_de, cities_de, mobile_de, 8, 45 },
  { "FR", "33", &wording_fr, first_fr, last_fr, domains_fr, cities_fr, mobile_fr, 7, 35 },
  { "ES", "34", &wording_es, first_es, last_es, domains_es, cities_es, mobile_es, 5, 60 },
  { "IT", "39", &wording_it, first_it, last_it, domains_it, cities_it, mobile_it, 5, 60 },
  { "NL", "31", &wording_nl, first_nl, last_nl, domains_nl, cities_nl, mobile_nl, 4, 50 },
  { "BR", "55", &wording_pt, first_br, last_br, domains_br, cities_br, NULL, 7, 75 },
  { "MX", "52", &wording_es, first_mx, last_mx, domains_mx, cities_mx, NULL, 5, 70 },
  { "AU", "61", &wording_en, first_au, last_au, domains_au, cities_au, mobile_au, 6, 20 },
  { "IN", "91", &wording_en, first_in, last_in, domains_in, cities_in, mobile_in, 5, 70 },
  { "ZA", "27", &wording_en, first_za, last_za, domains_za, cities_za, mobile_za, 3, 60 },
};

typedef struct
{
  const char *tag;
  guint       percent;
} TagChance;

static const TagChance tag_chances[] = {
  { "newsletter", 45 },
  { "repeat-buyer", 25 },
  { "cart-abandoner", 15 },
  { "first-order", 15 },
  { "black-friday", 12 },
  { "birthday-club", 10 },
  { "vip", 8 },
  { "lapsed", 8 },
  { "event-attendee", 6 },
  { "wholesale", 5 },
};

typedef struct
{
  guint   n_contacts;
  guint32 seed;
  gint64  now;
} SampleJob;

#define SECONDS_PER_DAY (24 * 60 * 60)

static guint
strv_length (const char * const *strv)
{
  guint n = 0;

  while (strv[n] != NULL)
    n++;

  return n;
}

static const char *
pick (GRand              *rand,
      const char * const *strv)
{
  return strv[g_rand_int_range (rand, 0, strv_length (strv))];
}

static gboolean
chance (GRand *rand,
        guint  percent)
{
  return (guint) g_rand_int_range (rand, 0, 100) < percent;
}

static const Country *
pick_country (GRand *rand)
{
  guint total = 0;
  gint32 n;

  for (guint i = 0; i < G_N_ELEMENTS (countries); i++)
    total += countries[i].weight;

  n = g_rand_int_range (rand, 0, total);
  for (guint i = 0; i < G_N_ELEMENTS (countries); i++)
    {
      if (n < (gint32) countries[i].weight)
        return &countries[i];
      n -= countries[i].weight;
    }

  g_assert_not_reached ();
  return &countries[0];
}

static char *
fill_pattern (GRand      *rand,
              const char *calling_code,
              const char *pattern)
{
  GString *number = g_string_new ("+");

  g_string_append (number, calling_code);
  for (const char *p = pattern; *p != '\0'; p++)
    {
      switch (*p)
        {
        case 'X':
          g_string_append_c (number, '0' + g_rand_int_range (rand, 0, 10));
          break;

        case 'N':
          g_string_append_c (number, '0' + g_rand_int_range (rand, 2, 10));
          break;

        case 'M':
          g_string_append_c (number, '0' + g_rand_int_range (rand, 6, 10));
          break;

        default:
          g_string_append_c (number, *p);
          break;
        }
    }

  return g_string_free (number, FALSE);
}

/* Draws numbers for @city until libphonenumber accepts one in @country's
 * region that is not used yet. */
static TcPhoneInfo *
draw_number (GRand         *rand,
             const Country *country,
             const City    *city,
             GHashTable    *used)
{
  for (guint attempt = 0; attempt < MAX_NUMBER_ATTEMPTS; attempt++)
    {
      g_autofree char *candidate = NULL;
      g_autoptr(TcPhoneInfo) info = NULL;
      const char *pattern = city->pattern;

      if (pattern == NULL)
        pattern = pick (rand, country->mobile_patterns);

      candidate = fill_pattern (rand, country->calling_code, pattern);
      info = tc_phone_parse (candidate, NULL, TC_PHONE_PARSE_ALL, NULL);

      if (info != NULL &&
          g_strcmp0 (info->region, country->region) == 0 &&
          !g_hash_table_contains (used, info->e164))
        {
          g_hash_table_add (used, g_strdup (info->e164));
          return g_steal_pointer (&info);
        }
    }

  return NULL;
}

/* A plausible address from the person's name: "anna.mueller@web.de". */
static char *
make_email (GRand      *rand,
            const char *first_name,
            const char *last_name,
            const char *domain)
{
  g_autofree char *first_ascii = g_str_to_ascii (first_name, "C");
  g_autofree char *last_ascii = g_str_to_ascii (last_name, "C");
  GString *first = g_string_new (NULL);
  GString *last = g_string_new (NULL);
  g_autofree char *first_clean = NULL;
  g_autofree char *last_clean = NULL;

  for (const char *p = first_ascii; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (first, g_ascii_tolower (*p));
  for (const char *p = last_ascii; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (last, g_ascii_tolower (*p));

  first_clean = g_string_free (first, FALSE);
  last_clean = g_string_free (last, FALSE);

  switch (g_rand_int_range (rand, 0, 5))
    {
    case 0:
      return g_strdup_printf ("%s%s@%s", first_clean, last_clean, domain);
    case 1:
      return g_strdup_printf ("%c.%s@%s", first_clean[0], last_clean, domain);
    case 2:
      return g_strdup_printf ("%s_%s%d@%s", first_clean, last_clean,
                              g_rand_int_range (rand, 1, 100), domain);
    case 3:
      /* Many people add the year they were born. */
      return g_strdup_printf ("%s.%s%d@%s", first_clean, last_clean,
                              g_rand_int_range (rand, 60, 100), domain);
    default:
      return g_strdup_printf ("%s.%s@%s", first_clean, last_clean, domain);
    }
}

static gboolean
add_consent (TcDb                *db,
             gint64               contact_id,
             TcChannel            channel,
             TcPurpose            purpose,
             TcConsentEventKind   kind,
             TcConsentMethod      method,
             TcConsentSource      source,
             const char          *origin,
             const char          *wording,
             gint64               when,
             gint64               now,
             GError             **error)
{
  g_autoptr(TcConsent) consent = tc_consent_new (contact_id, channel, purpose, kind);
  g_autoptr(GDateTime) occurred_at = g_date_time_new_from_unix_utc (when);

  tc_consent_set_method (consent, method);
  tc_consent_set_source (consent, source);
  tc_consent_set_origin (consent, origin);
  tc_consent_set_wording (consent, wording);
  tc_consent_set_occurred_at (consent, occurred_at);
  if (kind == TC_CONSENT_EVENT_REQUESTED)
    {
      /* The default confirmation time: 48 hours. */
      g_autoptr(GDateTime) expires_at = g_date_time_new_from_unix_utc (when + 48 * 3600);

      tc_consent_set_expires_at (consent, expires_at);
    }

  return _tc_db_append_consent_event (db, consent, now, error);
}

/* The consent history of one contact: a mix of how people really sign up
 * (checkout box, web form with a YES confirmation, texting a keyword),
 * some still pending, some who opted out again, and none at all for some. */
static gboolean
add_consents (GRand          *rand,
              TcDb           *db,
              gint64          contact_id,
              const Country  *country,
              gboolean        has_ordered,
              gint64          now,
              GError        **error)
{
  const Wording *w = country->wording;
  gint64 start = now - g_rand_int_range (rand, 1, 365) * (gint64) SECONDS_PER_DAY
                     - g_rand_int_range (rand, 0, SECONDS_PER_DAY);
  g_autofree char *keyword_source = g_strdup_printf ("keyword %s", w->keyword);
  g_autofree char *stop_source = g_strdup_printf ("reply %s", w->stop_word);
  guint roll = g_rand_int_range (rand, 0, 100);
  gboolean opted_in = FALSE;

  if (roll < 30)
    {
      /* Ticked the box at checkout. */
      if (!add_consent (db, contact_id, TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL,
                        TC_CONSENT_EVENT_OPTED_IN, TC_CONSENT_METHOD_SINGLE,
                        TC_CONSENT_SOURCE_CHECKOUT, "checkout box", w->form, start, now, error))
        return FALSE;
      opted_in = TRUE;
    }
  else if (roll < 55)
    {
      /* Web form, then confirmed by replying YES a few minutes later. */
      gint64 confirmed = start + g_rand_int_range (rand, 30, 45 * 60);

      if (!add_consent (db, contact_id, TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL,
                        TC_CONSENT_EVENT_REQUESTED, TC_CONSENT_METHOD_DOUBLE,
                        TC_CONSENT_SOURCE_WEB_FORM, "web form", w->form, start, now, error) ||
          !add_consent (db, contact_id, TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL,
                        TC_CONSENT_EVENT_CONFIRMED, TC_CONSENT_METHOD_DOUBLE,
                        TC_CONSENT_SOURCE_KEYWORD, "reply YES", w->form,
                        MIN (confirmed, now), now, error))
        return FALSE;
      opted_in = TRUE;
    }
  else if (roll < 70)
    {
      /* Texted the keyword and got the terms back. */
      if (!add_consent (db, contact_id, TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL,
                        TC_CONSENT_EVENT_OPTED_IN, TC_CONSENT_METHOD_SINGLE,
                        TC_CONSENT_SOURCE_KEYWORD, keyword_source, w->keyword_reply,
                        start, now, error))
        return FALSE;
      opted_in = TRUE;
    }
  else if (roll < 78)
    {
      /* Filled in the web form but never confirmed. */
      if (!add_consent (db, contact_id, TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL,
                        TC_CONSENT_EVENT_REQUESTED, TC_CONSENT_METHOD_DOUBLE,
                        TC_CONSENT_SOURCE_WEB_FORM, "web form", w->form, start, now, error))
        return FALSE;
    }
  /* else: no SMS marketing consent recorded. */

  /* About one in eight of those who opted in asked to stop later. */
  if (opted_in && chance (rand, 12))
    {
      gint64 stop = start + (now - start) / 2 + g_rand_int_range (rand, 0, SECONDS_PER_DAY);

      if (!add_consent (db, contact_id, TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL,
                        TC_CONSENT_EVENT_OPTED_OUT, TC_CONSENT_METHOD_SINGLE,
                        TC_CONSENT_SOURCE_KEYWORD, stop_source, w->stop_word,
                        MIN (stop, now), now, error))
        return FALSE;
    }

  /* Order updates by text, asked for at checkout. */
  if (has_ordered && chance (rand, 60))
    {
      /* One draw: MIN() would evaluate it twice. */
      gint64 when = start + g_rand_int_range (rand, 0, 3600);

      if (!add_consent (db, contact_id, TC_CHANNEL_SMS, TC_PURPOSE_TRANSACTIONAL,
                        TC_CONSENT_EVENT_OPTED_IN, TC_CONSENT_METHOD_SINGLE,
                        TC_CONSENT_SOURCE_CHECKOUT, "checkout: order updates", w->transactional,
                        MIN (when, now), now, error))
        return FALSE;
    }

  /* WhatsApp is a separate channel with its own consent. */
  if (chance (rand, country->whatsapp_percent))
    {
      gint64 when = start + g_rand_int_range (rand, 0, (int) MAX (1, (now - start) / 2));
      gboolean at_checkout = chance (rand, 50);

      if (!add_consent (db, contact_id, TC_CHANNEL_WHATSAPP, TC_PURPOSE_PROMOTIONAL,
                        TC_CONSENT_EVENT_OPTED_IN, TC_CONSENT_METHOD_SINGLE,
                        at_checkout ? TC_CONSENT_SOURCE_CHECKOUT : TC_CONSENT_SOURCE_KEYWORD,
                        at_checkout ? "WhatsApp opt-in at checkout" : "click-to-chat message",
                        w->whatsapp, when, now, error))
        return FALSE;

      if (chance (rand, 8) &&
          !add_consent (db, contact_id, TC_CHANNEL_WHATSAPP, TC_PURPOSE_PROMOTIONAL,
                        TC_CONSENT_EVENT_OPTED_OUT, TC_CONSENT_METHOD_SINGLE,
                        TC_CONSENT_SOURCE_KEYWORD, stop_source, w->stop_word,
                        when + (now - when) / 2, now, error))
        return FALSE;
    }

  return TRUE;
}

static const char *
pick_loyalty_tier (GRand    *rand,
                   gboolean  vip)
{
  guint roll = g_rand_int_range (rand, 0, 100);

  if (vip)
    return roll < 60 ? "gold" : "platinum";
  if (roll < 50)
    return "bronze";
  if (roll < 80)
    return "silver";
  if (roll < 95)
    return "gold";
  return "platinum";
}

static gboolean
add_one_contact (GRand       *rand,
                 TcDb        *db,
                 GHashTable  *used,
                 gint64       now,
                 GError     **error)
{
  const Country *country = NULL;
  const City *city = NULL;
  g_autoptr(TcPhoneInfo) info = NULL;
  g_autoptr(GPtrArray) tags = g_ptr_array_new ();
  g_autoptr(GPtrArray) attr_names = g_ptr_array_new ();
  g_autoptr(GPtrArray) attr_values = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *email = NULL;
  TcContactRow row = { 0 };
  const char *first_name;
  const char *last_name;
  gboolean vip = FALSE;
  gboolean wholesale = FALSE;
  gboolean has_ordered;
  gint64 id = 0;
  gboolean updated = FALSE;

  /* A city whose numbers have run out (the NANP fiction block holds 100
   * per area code) is skipped for another draw. */
  for (guint attempt = 0; info == NULL && attempt < 32; attempt++)
    {
      guint n_cities = 0;

      country = pick_country (rand);
      while (country->cities[n_cities].name != NULL)
        n_cities++;
      city = &country->cities[g_rand_int_range (rand, 0, n_cities)];
      info = draw_number (rand, country, city, used);
    }

  if (info == NULL)
    {
      g_set_error (error, TC_DB_ERROR, TC_DB_ERROR_FAILED,
                   "could not find a free valid sample phone number");
      return FALSE;
    }

  first_name = pick (rand, country->first_names);
  last_name = pick (rand, country->last_names);
  if (chance (rand, 88))
    email = make_email (rand, first_name, last_name, pick (rand, country->domains));

  for (guint i = 0; i < G_N_ELEMENTS (tag_chances); i++)
    {
      if (chance (rand, tag_chances[i].percent))
        {
          g_ptr_array_add (tags, (gpointer) tag_chances[i].tag);
          vip |= strcmp (tag_chances[i].tag, "vip") == 0;
          wholesale |= strcmp (tag_chances[i].tag, "wholesale") == 0;
        }
    }
  g_ptr_array_add (tags, NULL);

  g_ptr_array_add (attr_names, (gpointer) "city");
  g_ptr_array_add (attr_values, g_strdup (city->name));
  g_ptr_array_add (attr_names, (gpointer) "loyalty_tier");
  g_ptr_array_add (attr_values, g_strdup (pick_loyalty_tier (rand, vip)));

  has_ordered = wholesale || vip || chance (rand, 70);
  if (has_ordered)
    {
      /* In cents, written without locale so "84.50" reads back anywhere. */
      guint cents = wholesale ? g_rand_int_range (rand, 40000, 400000)
                              : g_rand_int_range (rand, 1200, vip ? 90000 : 48000);

      g_ptr_array_add (attr_names, (gpointer) "last_order_value");
      g_ptr_array_add (attr_values, g_strdup_printf ("%u.%02u", cents / 100, cents % 100));
    }
  if (chance (rand, 40))
    {
      g_ptr_array_add (attr_names, (gpointer) "favorite_category");
      g_ptr_array_add (attr_values, g_strdup (pick (rand, country->wording->categories)));
    }
  g_ptr_array_add (attr_names, NULL);
  g_ptr_array_add (attr_values, NULL);

  row.phone = info->e164;
  row.first_name = first_name;
  row.last_name = last_name;
  row.email = email;
  row.language = country->wording->language;
  row.country = info->region;
  row.timezones = (const char * const *) info->timezones;
  row.tags = (const char * const *) tags->pdata;
  row.attr_names = (const char * const *) attr_names->pdata;
  row.attr_values = (const char * const *) attr_values->pdata;

  if (!_tc_db_upsert_contact (db, &row, now, &id, &updated, error))
    return FALSE;

  return add_consents (rand, db, id, country, has_ordered, now, error);
}

static gpointer
sample_job (TcDb          *db,
            gpointer       job_data,
            GCancellable  *cancellable,
            GError       **error)
{
  SampleJob *job = job_data;
  g_autoptr(GRand) rand = g_rand_new_with_seed (job->seed);
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  gboolean empty;

  if (!_tc_db_begin (db, error))
    return NULL;

  /* Checked inside the write transaction, so nothing can slip in between. */
  if (!(stmt = _tc_db_prepare (db, "SELECT NOT EXISTS (SELECT 1 FROM contacts)", error)))
    goto failed;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _tc_db_set_error (db, error, "checking whether the workspace is empty");
      goto failed;
    }
  empty = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (!empty)
    {
      g_set_error (error, TC_DB_ERROR, TC_DB_ERROR_CONSTRAINT,
                   "the workspace already has contacts; sample data is only added to an empty one");
      goto failed;
    }

  for (guint i = 0; i < job->n_contacts; i++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto failed;

      if (!add_one_contact (rand, db, used, job->now, error))
        goto failed;
    }

  if (!_tc_db_commit (db, error))
    goto failed;

  return GINT_TO_POINTER (1);

failed:
  _tc_db_rollback (db);
  return NULL;
}

/**
 * tc_sample_create_async:
 * @repository: an open repository
 * @n_contacts: how many contacts to create (the app offers 300)
 * @seed: the random seed; the same seed gives the same workspace
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fills an empty workspace with sample contacts and their consent records
 * in one transaction. When the workspace already has contacts, nothing is
 * changed and the operation fails with %TC_DB_ERROR_CONSTRAINT: sample people
 * must never mix with real customers.
 */
void
tc_sample_create_async (TcRepository        *repository,
                        guint                n_contacts,
                        guint32              seed,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  SampleJob *job;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (SampleJob, 1);
  job->n_contacts = n_contacts;
  job->seed = seed;
  job->now = g_get_real_time () / G_USEC_PER_SEC;

  _tc_repository_run_async (repository, TC_DB_JOB_WRITE, sample_job,
                            job, g_free, NULL,
                            cancellable, callback, user_data);
}

gboolean
tc_sample_create_finish (TcRepository  *repository,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), FALSE);

  return _tc_repository_run_finish (repository, result, error) != NULL;
}
