/* tc-keywords.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How an inbound message is read, in three steps, all on one normalised
 * form of the text (lower case, accents and other marks removed,
 * compatibility forms such as full-width letters folded, words split on
 * anything that is not a letter or a digit):
 *
 * 1. The whole message is a keyword ("Stop!!", " stop. ", "STOP 🙏",
 *    "OPT-OUT"): a hash lookup of its words joined by single spaces.
 *    Every keyword, built-in or custom, only ever matches the whole
 *    message: "END", "SI", "JA" and "INFO" are everyday words, and "the
 *    end" or "si tu veux" must stay a conversation.
 * 2. The message is a keyword between courtesy words ("stop please",
 *    "yes thanks", "oui merci"): the same match, marked for review.
 * 3. Otherwise the message is read as sentences, clause by clause (split
 *    at . , ! ? ; : and at "but"), with a small table of word classes
 *    (stop verbs, send verbs, message nouns, negations, …) and a few rules
 *    that recognise a plain request to stop: "please stop texting me",
 *    "remove me from your list", "no more texts", "ne m'envoyez plus de
 *    messages", "bitte keine SMS mehr". Such a request is an opt-out marked
 *    for review (the law counts any reasonable wording). A negation before
 *    a stop word always wins ("don't stop the deals!", "n'arrêtez pas"):
 *    that is a conversation, marked for review because it mentions an
 *    opt-out word, as is any other sentence that mentions one without
 *    asking to stop ("stop by the store tomorrow").
 *
 * Decisions worth knowing:
 * - "Y" is not a built-in opt-in word. Opting in again someone who opted
 *   out must rest on a clear answer, and a lone letter is too easily a
 *   slip of the thumb; a workspace that wants it adds it to
 *   keywords.optin.en.
 * - Italian "FINE" (end) is not built in either: in English, "Fine" is a
 *   common whole-message answer that would silently unsubscribe people.
 * - A custom keyword or a settings word may not take a word that already
 *   has another meaning; above all, opt-out words can never be shadowed.
 *
 * The cost of a classification is one pass over the text, one hash lookup
 * per word and a bounded look-ahead; the word tables are built once.
 */

#define G_LOG_DOMAIN "tc-keywords"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "tc-keywords.h"
#include "tc-settings.h"

/* Longest normalised keyword, in bytes: longer whole messages are never
 * keywords, and the settings refuse longer words. */
#define MAX_KEY_BYTES 64
/* How far a rule looks past a verb for its object, in words. */
#define MAX_LOOKAHEAD 8

/* ------------------------------------------------------------------------
 * The built-in keywords, as people write them. Matching ignores case and
 * accents, so each word is listed once, spelt correctly.
 */

static const char * const en_optout[] = {
  "STOP", "STOPALL", "STOP ALL", "UNSUBSCRIBE", "UNSUBSCRIBE ME", "CANCEL", "END", "QUIT",
  "REVOKE", "OPTOUT", "OPT OUT", NULL,
};
static const char * const en_optin[] = { "START", "YES", "UNSTOP", NULL };
static const char * const en_help[] = { "HELP", "INFO", NULL };

static const char * const fr_optout[] = {
  "STOP", "ARRÊT", "ARRÊTER", "DÉSABONNER", "DÉSABONNEMENT", "DÉSINSCRIRE", "DÉSINSCRIPTION",
  NULL,
};
static const char * const fr_optin[] = { "OUI", NULL };
static const char * const fr_help[] = { "AIDE", NULL };

static const char * const es_optout[] = {
  "BAJA", "ALTO", "PARAR", "CANCELAR", "SALIR", "STOP", "DAR DE BAJA", NULL,
};
static const char * const es_optin[] = { "SÍ", "ALTA", NULL };
static const char * const es_help[] = { "AYUDA", NULL };

static const char * const de_optout[] = {
  "STOPP", "STOP", "ABMELDEN", "ABBESTELLEN", "ENDE", NULL,
};
static const char * const de_optin[] = { "JA", "START", "ANMELDEN", NULL };
static const char * const de_help[] = { "HILFE", NULL };

static const char * const it_optout[] = {
  "STOP", "ANNULLA", "BASTA", "DISISCRIVI", "DISISCRIVIMI", "CANCELLAMI", NULL,
};
static const char * const it_optin[] = { "SÌ", NULL };
static const char * const it_help[] = { "AIUTO", NULL };

static const char * const pt_optout[] = {
  "PARAR", "SAIR", "CANCELAR", "STOP", "DESCADASTRAR", NULL,
};
static const char * const pt_optin[] = { "SIM", NULL };
static const char * const pt_help[] = { "AJUDA", NULL };

static const char * const nl_optout[] = {
  "STOP", "STOPPEN", "AFMELDEN", "UITSCHRIJVEN", NULL,
};
static const char * const nl_optin[] = { "JA", "AANMELDEN", NULL };
static const char * const nl_help[] = { "HELP", NULL };

static const char * const no_words[] = { NULL };

/* English first: a word that several languages share ("STOP", "SI", "JA")
 * is reported in the first language that lists it. */
static const struct
{
  const char         *language;
  const char * const *optout;
  const char * const *optin;
  const char * const *help;
} builtin_lists[] = {
  { "en", en_optout, en_optin, en_help },
  { "fr", fr_optout, fr_optin, fr_help },
  { "es", es_optout, es_optin, es_help },
  { "de", de_optout, de_optin, de_help },
  { "it", it_optout, it_optin, it_help },
  { "pt", pt_optout, pt_optin, pt_help },
  { "nl", nl_optout, nl_optin, nl_help },
};

/* ------------------------------------------------------------------------
 * Word classes for reading sentences. Words are in their normalised form
 * (lower case, no accents, apostrophes dropped: "don't" is "dont", while
 * French and Italian elisions split: "n'arrêtez" is "n arretez").
 */

enum
{
  W_POLITE    = 1 << 0,  /* may surround a keyword: "stop please" */
  W_INTRO     = 1 << 1,  /* may come before a request: "please", "can you" */
  W_NEG       = 1 << 2,  /* negation: "don't", "ne", "nicht" */
  W_NEG_WEAK  = 1 << 3,  /* "can't": negates a stop verb, not "unsubscribe" */
  W_NEG_AFTER = 1 << 4,  /* negation that follows its verb: "pas", "nicht" */
  W_STOPV     = 1 << 5,  /* stop verb, a request only in the right place */
  W_MENTION   = 1 << 6,  /* an opt-out word: worth a person's look */
  W_STRONG    = 1 << 7,  /* means unsubscribing wherever it stands */
  W_SEND      = 1 << 8,  /* send verb: "text", "envoyer" */
  W_NOUN      = 1 << 9,  /* what is sent: "texts", "deals", "subscription" */
  W_RECEIVE   = 1 << 10, /* "receive", "recevoir" */
  W_WANT      = 1 << 11, /* "want", "veux" */
  W_SKIP      = 1 << 12, /* determiners and prepositions: "the", "de" */
  W_SELF      = 1 << 13, /* "me", "moi", "mich" */
  W_POSS      = 1 << 14, /* "my", "mon", "mein" */
  W_NUMNOUN   = 1 << 15, /* "number", "data" */
  W_MORE      = 1 << 16, /* "more", "plus", "mehr" */
  W_NO        = 1 << 17, /* "no" as a determiner: "no texts", "keine SMS" */
  W_TAIL      = 1 << 18, /* may end a request: "again", "anymore", "now" */
  W_REMOVE    = 1 << 19, /* "remove", "supprimez" (with me / my number) */
  W_SELF_VERB = 1 << 20, /* a remove verb with its "me" attached: "rimuovimi" */
  W_PV        = 1 << 21, /* "take", "opt", "leave" (me off / out / alone) */
  W_PARTICLE  = 1 << 22, /* "off", "out", "alone", "tranquille" */
  W_CEASE     = 1 << 23, /* "no longer", "nicht mehr" (two words, on the second) */
  W_CONJ      = 1 << 24, /* "but": starts a new clause */
  W_AGAIN     = 1 << 25, /* may end "don't text me …": "again", "please" */
};

static const struct
{
  const char *language;
  guint       flags;
  const char *words; /* comma-separated; two words with a space are a pair */
} word_rows[] = {
  /* English */
  { "en", W_POLITE | W_INTRO,
    "please,pls,plz,plez,pleas,thanks,thank,thx,ty,tks,ok,okay,hi,hello,hey,now" },
  /* "you" is a courtesy word only after "thank". */
  { "en", W_POLITE, "thank you" },
  { "en", W_AGAIN, "again,anymore,ever,forever,please,pls,plz,thanks,thank,thx,ty" },
  { "en", W_INTRO,
    "you,u,can,could,would,will,just,i,im,id,ive,want,wanna,wish,like,to,need,oh,so,guys,seriously,"
    "hereby,and,then,yo,dear,sir,madam,how,do,said,say,told,tell,asked,ask,already,really,"
    "kindly,omg,lol,ya,must,should,again,hereby" },
  { "en", W_NEG, "dont,not,never,no,doesnt,didnt,wont,wouldnt,shouldnt,nor,neither" },
  { "en", W_NEG_WEAK, "cant,cannot,couldnt" },
  { "en", W_STOPV | W_MENTION, "stop,stopping,revoke" },
  { "en", W_STOPV, "cancel,end,quit,halt,cease" },
  { "en", W_STRONG | W_MENTION,
    "stopall,unsubscribe,unsubscribed,unsubscribing,unsub,optout,opt out,opted out" },
  { "en", W_SEND,
    "text,texting,texted,txt,txting,message,messaging,messaged,send,sending,contact,contacting,"
    "email,emailing,call,calling,spam,spamming,sms,msg,bother,bothering,write,writing" },
  { "en", W_NOUN,
    "texts,txts,messages,msgs,sms,smss,spam,ads,adverts,advertising,promotions,promotion,promos,"
    "promo,offers,deals,marketing,notifications,alerts,newsletter,newsletters,subscription,"
    "subscriptions,list,updates,whatsapps,emails,consent,permission,crap" },
  { "en", W_RECEIVE, "receive,receiving,recieve,recieving,get,getting" },
  { "en", W_WANT, "want,wanna,wish,need,like" },
  { "en", W_SKIP, "the,these,this,those,that,your,ur,all,any,such,a,an,of,to,with,from,about,it" },
  { "en", W_SELF, "me,us,myself" },
  { "en", W_POSS, "my,our" },
  { "en", W_NUMNOUN, "number,phone,cell,data,details,info,contact" },
  { "en", W_MORE, "more,further" },
  { "en", W_NO, "no" },
  { "en", W_TAIL,
    "again,anymore,ever,here,forever,immediately,asap,already,everything,anything,right,away,"
    "thanks,please" },
  { "en", W_REMOVE, "remove,delete,erase" },
  { "en", W_PV, "take,opt,leave,get" },
  /* Texting a number that is not the person's: never again. */
  { "en", W_STRONG, "wrong number" },
  { "en", W_PARTICLE, "off,out,alone" },
  { "en", W_CEASE, "no longer" },
  { "en", W_CONJ, "but" },

  /* French */
  { "fr", W_POLITE | W_INTRO, "merci,svp,stp,bonjour,salut,s,il,vous,plait" },
  { "fr", W_AGAIN, "merci,svp,stp,jamais" },
  { "fr", W_INTRO,
    "de,d,s,il,vous,plait,je,j,veux,voudrais,souhaite,aimerais,pouvez,pourriez,veuillez,bien,"
    "comment,tu,peux" },
  { "fr", W_NEG, "ne,n,jamais,non" },
  { "fr", W_NEG_AFTER, "pas" },
  { "fr", W_STOPV | W_MENTION, "arret,arreter,arretez,arrete,arretes" },
  { "fr", W_STRONG | W_MENTION,
    "desabonner,desabonnez,desabonne,desabonnee,desabonnement,desinscrire,desinscrivez,"
    "desinscris,desinscription,desinscrit,desinscrite" },
  { "fr", W_SEND,
    "envoyer,envoyez,envoie,envoies,ecrire,ecrivez,contacter,contactez,appeler,appelez,spammer,"
    "harceler,texter" },
  { "fr", W_NOUN,
    "messages,message,sms,textos,texto,pubs,pub,publicites,publicite,promos,offres,"
    "notifications,mails,abonnement,liste,consentement" },
  { "fr", W_RECEIVE, "recevoir" },
  { "fr", W_WANT, "veux,voudrais,souhaite" },
  { "fr", W_SKIP, "de,des,les,le,la,l,d,ces,vos,votre,tous,toutes,ce,cette,en,y,rien,du,a" },
  { "fr", W_SELF, "moi,m,nous" },
  { "fr", W_POSS, "mon,mes" },
  { "fr", W_NUMNOUN, "numero,donnees,coordonnees" },
  { "fr", W_MORE, "plus" },
  { "fr", W_NO, "aucun,aucune" },
  { "fr", W_REMOVE, "retirez,retirer,supprimez,supprimer,enlevez,enlever,effacez,effacer" },
  { "fr", W_PV, "laissez,laisse" },
  { "fr", W_PARTICLE, "tranquille" },

  /* Spanish */
  { "es", W_POLITE | W_INTRO, "gracias,hola,por,favor" },
  { "es", W_AGAIN, "gracias,nunca" },
  { "es", W_INTRO,
    "por,favor,quiero,quisiera,puede,pueden,podrian,podria,necesito,yo,deseo,como,ya,solo" },
  { "es", W_NEG, "no,nunca,jamas" },
  { "es", W_STOPV, "para,paren,pare,parar,deja,dejen,dejar,detener,detengan,alto,salir" },
  { "es", W_STRONG | W_MENTION,
    "desuscribir,desuscribirme,desinscribir,desinscribirme,de baja" },
  { "es", W_SEND,
    "enviar,enviarme,envien,envies,envian,envie,mandar,mandarme,manden,mandes,escribir,"
    "escribirme,escriban,contactar,contactarme,llamar,llamarme" },
  { "es", W_NOUN,
    "mensajes,mensaje,sms,publicidad,promociones,ofertas,notificaciones,correos,spam,whatsapp,"
    "suscripcion,lista" },
  { "es", W_RECEIVE, "recibir" },
  { "es", W_WANT, "quiero,quisiera,deseo" },
  { "es", W_SKIP,
    "de,los,las,el,la,estos,estas,esos,esas,sus,su,tus,todos,todas,a,con,del,nada" },
  { "es", W_SELF, "me,nos" },
  { "es", W_POSS, "mi,mis" },
  { "es", W_MORE, "mas" },
  { "es", W_NO, "ningun,ninguna" },
  { "es", W_REMOVE, "quiten,quitar,quita,borren,borrar,borra,eliminen,eliminar,elimina" },
  { "es", W_SELF_VERB, "quitame,quitenme,borrame,borrenme,eliminame,eliminenme,sacame,saquenme" },
  { "es", W_CONJ, "pero" },

  /* German */
  { "de", W_POLITE | W_INTRO, "bitte,danke,hallo" },
  { "de", W_AGAIN, "bitte,danke" },
  /* "hör", "hört" come before "auf" ("hör auf", a pair below). */
  { "de", W_INTRO, "ich,mochte,will,wollen,konnen,konnten,sie,mal,doch,wie,jetzt,hor,hort,horen" },
  { "de", W_NEG, "nicht,nie,niemals,nein" },
  { "de", W_NEG_AFTER, "nicht" },
  { "de", W_STOPV | W_MENTION, "stopp,stoppen,stoppt,aufhoren,hor auf,hort auf,horen auf" },
  { "de", W_STOPV, "beenden,beende,ende" },
  { "de", W_STRONG | W_MENTION,
    "abmelden,abbestellen,austragen,abmeldung,abbestellt,abgemeldet,ausgetragen" },
  { "de", W_SEND,
    "schicken,schickt,schick,senden,sendet,schreiben,schreibt,schreib,kontaktieren,kontaktiert,"
    "anrufen,zuschicken" },
  { "de", W_NOUN, "nachrichten,nachricht,sms,werbung,angebote,newsletter,spam,mails,abo" },
  { "de", W_RECEIVE, "erhalten,bekommen" },
  { "de", W_WANT, "will,mochte" },
  { "de", W_SKIP, "die,der,das,den,diese,dieser,diesen,ihre,ihren,eure,alle,mit,zu,von,sie" },
  { "de", W_SELF, "mir,mich,uns" },
  { "de", W_POSS, "mein,meine,meinen" },
  { "de", W_NUMNOUN, "nummer,telefonnummer,handynummer,daten" },
  { "de", W_MORE, "mehr" },
  { "de", W_NO, "kein,keine,keinen" },
  { "de", W_REMOVE, "entfernen,entfernt,entferne,loschen,losche,loscht" },
  { "de", W_PV, "lasst,lassen" },
  { "de", W_PARTICLE, "ruhe" },
  { "de", W_CEASE, "nicht mehr" },
  { "de", W_CONJ, "aber" },

  /* Italian */
  { "it", W_POLITE | W_INTRO, "grazie,ciao,per,favore" },
  { "it", W_AGAIN, "grazie" },
  { "it", W_INTRO, "per,favore,voglio,vorrei,potete,potreste,puoi,come,io" },
  { "it", W_NEG, "non,mai" },
  { "it", W_STOPV | W_MENTION, "smettete,smettila,smetti,smettere" },
  { "it", W_STOPV, "basta,fermate,fermare,ferma,annulla,annullare" },
  { "it", W_STRONG | W_MENTION,
    "disiscrivi,disiscrivimi,disiscrivere,disiscrivermi,disiscrivetemi,disdire,disdici" },
  { "it", W_SEND,
    "inviare,inviarmi,inviate,inviatemi,mandare,mandarmi,mandate,mandatemi,scrivere,scrivermi,"
    "scrivetemi,contattare,contattarmi,contattatemi" },
  { "it", W_NOUN,
    "messaggi,messaggio,sms,pubblicita,promozioni,offerte,notifiche,spam,iscrizione,lista" },
  { "it", W_RECEIVE, "ricevere" },
  { "it", W_WANT, "voglio,vorrei" },
  { "it", W_SKIP, "di,i,gli,le,la,il,lo,questi,queste,vostri,vostre,tutti,tutte,a,con,l,dei" },
  { "it", W_SELF, "mi,ci" },
  { "it", W_POSS, "mio,mia,miei" },
  { "it", W_NUMNOUN, "numero,dati" },
  { "it", W_MORE, "piu" },
  { "it", W_NO, "nessun,nessuna,niente" },
  { "it", W_REMOVE, "rimuovete,rimuovere,rimuovi,cancellate,cancella,togliete,togli" },
  { "it", W_SELF_VERB, "rimuovimi,cancellami,toglimi,eliminatemi,rimuovetemi,cancellatemi" },
  { "it", W_PV, "lascia,lasciate" },
  { "it", W_PARTICLE, "pace" },
  { "it", W_CEASE, "non piu" },

  /* Portuguese */
  { "pt", W_POLITE | W_INTRO, "obrigado,obrigada,ola" },
  { "pt", W_AGAIN, "obrigado,obrigada" },
  { "pt", W_INTRO, "quero,queria,gostaria,podem,pode,eu" },
  { "pt", W_NEG, "nao,jamais" },
  { "pt", W_STOPV, "parar,pare,parem,chega,sair" },
  { "pt", W_STRONG | W_MENTION, "descadastrar,descadastre,descadastrem,descadastro" },
  { "pt", W_SEND, "enviar,enviem,envie,mandar,mandem,mande,contatar,ligar" },
  { "pt", W_NOUN,
    "mensagens,mensagem,sms,promocoes,ofertas,notificacoes,spam,inscricao,assinatura,lista" },
  { "pt", W_RECEIVE, "receber" },
  { "pt", W_WANT, "quero,queria" },
  { "pt", W_SKIP,
    "os,as,o,esses,essas,estes,estas,seus,suas,todas,todos,com,em,nenhuma,da,do,das,dos" },
  { "pt", W_POSS, "meu,minha" },
  { "pt", W_NUMNOUN, "dados" },
  { "pt", W_MORE, "mais" },
  { "pt", W_REMOVE, "remover,removam,remova,retirem,tirem,apagar,apaguem" },
  { "pt", W_PV, "deixe,deixem" },
  { "pt", W_PARTICLE, "paz" },
  { "pt", W_CEASE, "nao mais" },

  /* Dutch */
  { "nl", W_POLITE | W_INTRO, "alstublieft,alsjeblieft,aub,dank,bedankt,hoi,wel" },
  { "nl", W_AGAIN, "alstublieft,alsjeblieft,aub,bedankt" },
  { "nl", W_INTRO, "graag,ik,wil,wilt,kunt,kan,jullie,hoe" },
  { "nl", W_NEG, "niet,nooit,nee" },
  { "nl", W_NEG_AFTER, "niet" },
  { "nl", W_STOPV | W_MENTION, "stopt" },
  { "nl", W_STRONG | W_MENTION,
    "afmelden,uitschrijven,afmelding,uitgeschreven,afgemeld,uitschrijving" },
  { "nl", W_SEND, "sturen,stuur,stuurt,smsen,bellen,appen" },
  { "nl", W_NOUN, "berichten,bericht,smsjes,reclame,aanbiedingen,nieuwsbrief" },
  { "nl", W_RECEIVE, "ontvangen,krijgen" },
  { "nl", W_WANT, "wil,wilt" },
  { "nl", W_SKIP, "met,het,deze,uw,alle,te,van" },
  { "nl", W_SELF, "mij,ons" },
  { "nl", W_POSS, "mijn" },
  { "nl", W_NUMNOUN, "nummer,gegevens" },
  { "nl", W_MORE, "meer" },
  { "nl", W_NO, "geen" },
  { "nl", W_REMOVE, "verwijder,verwijderen,verwijdert" },
  { "nl", W_PV, "laat" },
  { "nl", W_PARTICLE, "rust" },
  { "nl", W_CEASE, "niet meer" },
  { "nl", W_CONJ, "maar" },
};

typedef struct
{
  guint       flags;
  const char *language; /* interned; the first language that lists the word */
} WordInfo;

static gpointer
build_word_table (gpointer data)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < G_N_ELEMENTS (word_rows); i++)
    {
      g_auto(GStrv) words = g_strsplit (word_rows[i].words, ",", -1);

      for (guint k = 0; words[k] != NULL; k++)
        {
          WordInfo *info = g_hash_table_lookup (table, words[k]);

          if (info == NULL)
            {
              info = g_new0 (WordInfo, 1);
              info->language = g_intern_static_string (word_rows[i].language);
              g_hash_table_insert (table, g_strdup (words[k]), info);
            }
          info->flags |= word_rows[i].flags;
        }
    }

  return table;
}

/* Normalised word (or pair "a b") → WordInfo; built once, then read-only
 * for the life of the process. */
static GHashTable *
get_word_table (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, build_word_table, NULL);
}

/* ------------------------------------------------------------------------
 * Normalisation
 */

typedef struct
{
  guint    start;        /* byte offset in Norm.text */
  guint    len;
  gboolean clause_start; /* a clause break (. , ! ? …) comes before it */
} Token;

typedef struct
{
  GString *text;   /* the words, separated by one space */
  GArray  *tokens; /* Token */
} Norm;

static void
norm_init (Norm  *norm,
           gsize  hint)
{
  norm->text = g_string_sized_new (MIN (hint, 4096) + 1);
  norm->tokens = g_array_sized_new (FALSE, FALSE, sizeof (Token), 16);
}

static void
norm_clear (Norm *norm)
{
  g_string_free (norm->text, TRUE);
  g_array_unref (norm->tokens);
}

static inline Token *
norm_token (const Norm *norm,
            guint       i)
{
  return &g_array_index (norm->tokens, Token, i);
}

/* The state of the tokenizer between characters. */
typedef struct
{
  Norm     *norm;
  gboolean  in_word;
  guint     word_chars;  /* characters in the current word */
  gboolean  apostrophe;  /* an apostrophe inside the current word */
  gboolean  clause_break;
} Tokenizer;

static void
end_word (Tokenizer *tk)
{
  if (tk->in_word)
    {
      Token *last = norm_token (tk->norm, tk->norm->tokens->len - 1);

      last->len = tk->norm->text->len - last->start;
    }
  tk->in_word = FALSE;
  tk->apostrophe = FALSE;
  tk->word_chars = 0;
}

static void
add_letter (Tokenizer *tk,
            gunichar   c)
{
  if (tk->in_word && tk->apostrophe)
    {
      /* French and Italian elisions split ("n'arrêtez", "l'iscrizione");
       * English contractions stay one word ("don't" is "dont"). */
      if (tk->word_chars <= 2)
        end_word (tk);
      tk->apostrophe = FALSE;
    }

  if (!tk->in_word)
    {
      Token token;

      if (tk->norm->tokens->len > 0)
        g_string_append_c (tk->norm->text, ' ');
      token.start = tk->norm->text->len;
      token.len = 0;
      token.clause_start = tk->clause_break || tk->norm->tokens->len == 0;
      g_array_append_val (tk->norm->tokens, token);
      tk->in_word = TRUE;
      tk->clause_break = FALSE;
    }

  if (c == 0x00DF) /* ß folds to "ss" */
    g_string_append (tk->norm->text, "ss");
  else if (c < 0x80)
    g_string_append_c (tk->norm->text, g_ascii_tolower ((char) c));
  else
    g_string_append_unichar (tk->norm->text, c);
  tk->word_chars++;
}

static gboolean
is_apostrophe (gunichar c)
{
  return c == '\'' || c == 0x2019 || c == 0x2018 || c == 0x02BC || c == '`' || c == 0x00B4;
}

static gboolean
is_clause_mark (gunichar c)
{
  switch (c)
    {
    case '.': case ',': case '!': case '?': case ';': case ':':
    case '(': case ')': case '[': case ']': case '\n': case '\r':
    case 0x00A1: /* ¡ */
    case 0x00BF: /* ¿ */
    case 0x2026: /* … */
    case 0x3002: /* 。 */
      return TRUE;
    default:
      return FALSE;
    }
}

/* One character after decomposition. */
static void
feed (Tokenizer *tk,
      gunichar   c)
{
  GUnicodeType type;

  if (c < 0x80)
    {
      if (g_ascii_isalnum ((char) c))
        add_letter (tk, c);
      else if (is_apostrophe (c) && tk->in_word)
        tk->apostrophe = TRUE;
      else
        {
          end_word (tk);
          if (is_clause_mark (c))
            tk->clause_break = TRUE;
        }
      return;
    }

  /* Accents (after decomposition), variation selectors, zero-width
   * spaces and joiners: dropped without splitting the word. */
  type = g_unichar_type (c);
  if (type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_SPACING_MARK
      || type == G_UNICODE_ENCLOSING_MARK || type == G_UNICODE_FORMAT)
    return;

  if (g_unichar_isalnum (c))
    add_letter (tk, g_unichar_tolower (c));
  else if (is_apostrophe (c) && tk->in_word)
    tk->apostrophe = TRUE;
  else
    {
      end_word (tk);
      if (is_clause_mark (c))
        tk->clause_break = TRUE;
    }
}

/* @text must be valid UTF-8 of @len bytes. */
static void
normalise (const char *text,
           gsize       len,
           Norm       *norm)
{
  Tokenizer tk = { norm, FALSE, 0, FALSE, FALSE };
  const char *end = text + len;

  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x80)
        feed (&tk, c);
      else
        {
          gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
          gsize n = g_unichar_fully_decompose (c, TRUE, decomposed, G_N_ELEMENTS (decomposed));

          for (gsize k = 0; k < n; k++)
            feed (&tk, decomposed[k]);
        }
    }
  end_word (&tk);
}

/* Copies the words @first … @last - 1 into @buf (MAX_KEY_BYTES + 1 bytes),
 * joined by single spaces; FALSE if they do not fit. */
static gboolean
span_key (const Norm *norm,
          guint       first,
          guint       last,
          char       *buf)
{
  const Token *a, *b;
  gsize len;

  if (first >= last)
    return FALSE;

  a = norm_token (norm, first);
  b = norm_token (norm, last - 1);
  len = b->start + b->len - a->start;
  if (len > MAX_KEY_BYTES)
    return FALSE;

  memcpy (buf, norm->text->str + a->start, len);
  buf[len] = '\0';
  return TRUE;
}

/* ------------------------------------------------------------------------
 * The keyword table
 */

typedef struct
{
  TcInboundAction  action;
  char            *keyword;   /* canonical, upper case */
  const char      *language;  /* interned, or NULL */
  TcPurpose        purpose;
  gboolean         unsubscribes;
  char            *reply;
} Entry;

struct _TcKeywords
{
  GHashTable *entries; /* normalised key → Entry */
};

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_free (entry->keyword);
  g_free (entry->reply);
  g_free (entry);
}

static const char *
action_label (TcInboundAction action)
{
  switch (action)
    {
    case TC_INBOUND_ACTION_OPT_OUT:
      return _("an opt-out keyword");
    case TC_INBOUND_ACTION_OPT_IN:
      return _("an opt-in keyword");
    case TC_INBOUND_ACTION_HELP:
      return _("a help keyword");
    case TC_INBOUND_ACTION_KEYWORD:
      return _("a custom keyword");
    case TC_INBOUND_ACTION_MESSAGE:
    default:
      return _("a keyword");
    }
}

/* Normalises @word into its key. Returns FALSE with @error (naming
 * @setting) when nothing is left or it is too long. */
static gboolean
word_key (const char  *setting,
          const char  *word,
          char        *key,
          GError     **error)
{
  Norm norm;
  gboolean ok;

  norm_init (&norm, strlen (word));
  normalise (word, strlen (word), &norm);
  if (norm.tokens->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s: “%s” has no letters or digits. Use a word such as STOP."),
                   setting, word);
      norm_clear (&norm);
      return FALSE;
    }

  ok = span_key (&norm, 0, norm.tokens->len, key);
  norm_clear (&norm);
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 _("%s: “%s” is too long for a keyword (at most %d letters). Use a shorter word."),
                 setting, word, MAX_KEY_BYTES);

  return ok;
}

static char *
canonical (const char *word)
{
  g_autofree char *stripped = g_strstrip (g_strdup (word));

  return g_utf8_strup (stripped, -1);
}

/* Adds @word to the table. A word already there with the same action is
 * left as it is (the first language keeps it); with another action it is
 * an error: a word has one meaning. */
static gboolean
add_word (TcKeywords       *self,
          const char       *setting,
          const char       *word,
          TcInboundAction   action,
          const char       *language,
          GError          **error)
{
  char key[MAX_KEY_BYTES + 1];
  Entry *existing;
  Entry *entry;

  if (!word_key (setting, word, key, error))
    return FALSE;

  existing = g_hash_table_lookup (self->entries, key);
  if (existing != NULL)
    {
      if (existing->action == action)
        return TRUE;

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s: “%s” is already %s (%s); a word can have one meaning only. "
                     "Remove it from this list."),
                   setting, word, action_label (existing->action), existing->keyword);
      return FALSE;
    }

  entry = g_new0 (Entry, 1);
  entry->action = action;
  entry->keyword = canonical (word);
  entry->language = language != NULL ? g_intern_string (language) : NULL;
  entry->purpose = TC_PURPOSE_PROMOTIONAL;
  g_hash_table_insert (self->entries, g_strdup (key), entry);

  return TRUE;
}

static TcKeywords *
keywords_new_builtin (void)
{
  TcKeywords *self = g_new0 (TcKeywords, 1);

  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, entry_free);

  /* Opt-out words first, so that they are the ones kept. The built-in
   * lists are checked by the tests to be free of clashes. */
  for (guint i = 0; i < G_N_ELEMENTS (builtin_lists); i++)
    for (guint k = 0; builtin_lists[i].optout[k] != NULL; k++)
      if (!add_word (self, "built-in", builtin_lists[i].optout[k], TC_INBOUND_ACTION_OPT_OUT,
                     builtin_lists[i].language, NULL))
        g_assert_not_reached ();
  for (guint i = 0; i < G_N_ELEMENTS (builtin_lists); i++)
    {
      for (guint k = 0; builtin_lists[i].optin[k] != NULL; k++)
        if (!add_word (self, "built-in", builtin_lists[i].optin[k], TC_INBOUND_ACTION_OPT_IN,
                       builtin_lists[i].language, NULL))
          g_assert_not_reached ();
      for (guint k = 0; builtin_lists[i].help[k] != NULL; k++)
        if (!add_word (self, "built-in", builtin_lists[i].help[k], TC_INBOUND_ACTION_HELP,
                       builtin_lists[i].language, NULL))
          g_assert_not_reached ();
    }

  return self;
}

/**
 * tc_keywords_new_default:
 *
 * Returns: (transfer full): the built-in keywords of every language
 */
TcKeywords *
tc_keywords_new_default (void)
{
  return keywords_new_builtin ();
}

/* "fr-CA", "fr_CA" and "FR" all mean "fr"; NULL when @language is not a
 * language code. */
static char *
base_language (const char *language)
{
  gsize n;

  if (language == NULL || !g_ascii_isalpha (language[0]))
    return NULL;

  for (const char *p = language; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return NULL;

  n = strcspn (language, "-_");
  if (n < 2 || n > 8)
    return NULL;

  return g_ascii_strdown (language, n);
}

static gboolean
add_list (TcKeywords       *self,
          const char       *key,
          const char       *value,
          const char       *prefix,
          TcInboundAction   action,
          GError          **error)
{
  g_autofree char *language = base_language (key + strlen (prefix));
  g_auto(GStrv) words = NULL;

  if (language == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s: “%s” is not a language code. Name the list after a language, "
                     "such as %sfr."),
                   key, key + strlen (prefix), prefix);
      return FALSE;
    }

  words = g_strsplit (value, ",", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_strstrip (words[i]);
      if (words[i][0] == '\0')
        continue;
      if (!add_word (self, key, words[i], action, language, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
add_custom (TcKeywords  *self,
            const char  *value,
            GError     **error)
{
  const char *setting = TC_SETTING_KEYWORDS_CUSTOM;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) json_error = NULL;
  JsonNode *root;
  JsonArray *array;

  if (!json_parser_load_from_data (parser, value, -1, &json_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s is not valid JSON (%s). Give a list such as "
                     "[{\"keyword\":\"DEALS\",\"purpose\":\"promotional\","
                     "\"action\":\"subscribe\"}]."),
                   setting, json_error->message);
      return FALSE;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s must be a JSON list of keywords, such as "
                     "[{\"keyword\":\"DEALS\",\"purpose\":\"promotional\","
                     "\"action\":\"subscribe\"}]."),
                   setting);
      return FALSE;
    }

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      const char *word, *purpose_name, *action_name, *reply = NULL;
      char key[MAX_KEY_BYTES + 1];
      TcPurpose purpose;
      gboolean unsubscribes;
      Entry *existing, *entry;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("%s: item %u is not an object with “keyword”, “purpose” and “action”."),
                       setting, i + 1);
          return FALSE;
        }
      object = json_node_get_object (node);

      word = json_object_get_string_member_with_default (object, "keyword", NULL);
      if (word == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("%s: item %u has no “keyword” text."), setting, i + 1);
          return FALSE;
        }

      purpose_name = json_object_get_string_member_with_default (object, "purpose", NULL);
      if (!tc_purpose_from_string (purpose_name, &purpose))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("%s: the purpose of “%s” must be “promotional” or “transactional”."),
                       setting, word);
          return FALSE;
        }

      action_name = json_object_get_string_member_with_default (object, "action", NULL);
      if (g_strcmp0 (action_name, "subscribe") == 0)
        unsubscribes = FALSE;
      else if (g_strcmp0 (action_name, "unsubscribe") == 0)
        unsubscribes = TRUE;
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("%s: the action of “%s” must be “subscribe” or “unsubscribe”."),
                       setting, word);
          return FALSE;
        }

      if (json_object_has_member (object, "reply"))
        {
          JsonNode *reply_node = json_object_get_member (object, "reply");

          if (!JSON_NODE_HOLDS_NULL (reply_node))
            {
              if (json_node_get_value_type (reply_node) != G_TYPE_STRING)
                {
                  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("%s: the reply of “%s” must be text."), setting, word);
                  return FALSE;
                }
              reply = json_node_get_string (reply_node);
            }
        }

      if (!word_key (setting, word, key, error))
        return FALSE;

      existing = g_hash_table_lookup (self->entries, key);
      if (existing != NULL && existing->action == TC_INBOUND_ACTION_OPT_OUT)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("%s: “%s” is an opt-out keyword (%s) and must always unsubscribe, "
                         "so it cannot be a custom keyword. Choose another word."),
                       setting, word, existing->keyword);
          return FALSE;
        }
      if (existing != NULL && existing->action == TC_INBOUND_ACTION_KEYWORD)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("%s: “%s” is listed twice. Keep one of them."), setting, word);
          return FALSE;
        }
      if (existing != NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("%s: “%s” is already %s (%s), so it cannot be a custom keyword. "
                         "Choose another word."),
                       setting, word, action_label (existing->action), existing->keyword);
          return FALSE;
        }

      entry = g_new0 (Entry, 1);
      entry->action = TC_INBOUND_ACTION_KEYWORD;
      entry->keyword = canonical (word);
      entry->purpose = purpose;
      entry->unsubscribes = unsubscribes;
      entry->reply = reply != NULL && reply[0] != '\0' ? g_strdup (reply) : NULL;
      g_hash_table_insert (self->entries, g_strdup (key), entry);
    }

  return TRUE;
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * tc_keywords_new_from_settings:
 * @settings: (element-type utf8 utf8): setting key → value
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the keywords, or %NULL with @error
 */
TcKeywords *
tc_keywords_new_from_settings (GHashTable  *settings,
                               GError     **error)
{
  static const struct
  {
    const char      *prefix;
    TcInboundAction  action;
  } lists[] = {
    /* Opt-out first: its words win, and a clash is reported on the other
     * list. */
    { TC_SETTING_KEYWORDS_OPTOUT_PREFIX, TC_INBOUND_ACTION_OPT_OUT },
    { TC_SETTING_KEYWORDS_OPTIN_PREFIX, TC_INBOUND_ACTION_OPT_IN },
    { TC_SETTING_KEYWORDS_HELP_PREFIX, TC_INBOUND_ACTION_HELP },
  };
  g_autoptr(TcKeywords) self = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  const char *custom;

  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = keywords_new_builtin ();

  /* In key order, so that the same settings always give the same error. */
  keys = g_ptr_array_new ();
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, settings);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      g_ptr_array_add (keys, key);
  }
  g_ptr_array_sort (keys, compare_keys);

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; i < keys->len; i++)
      {
        const char *key = g_ptr_array_index (keys, i);
        const char *value;

        if (!g_str_has_prefix (key, lists[l].prefix))
          continue;
        value = g_hash_table_lookup (settings, key);
        if (value == NULL)
          continue;
        if (!add_list (self, key, value, lists[l].prefix, lists[l].action, error))
          return NULL;
      }

  custom = g_hash_table_lookup (settings, TC_SETTING_KEYWORDS_CUSTOM);
  if (custom != NULL && custom[0] != '\0' && !add_custom (self, custom, error))
    return NULL;

  return g_steal_pointer (&self);
}

void
tc_keywords_free (TcKeywords *keywords)
{
  if (keywords == NULL)
    return;

  g_hash_table_unref (keywords->entries);
  g_free (keywords);
}

/* ------------------------------------------------------------------------
 * Classification
 */

static void
set_message (TcKeywordMatch *match,
             gboolean        needs_review)
{
  match->action = TC_INBOUND_ACTION_MESSAGE;
  match->keyword = NULL;
  match->language = NULL;
  match->needs_review = needs_review;
  match->all_purposes = FALSE;
  match->purpose = TC_PURPOSE_PROMOTIONAL;
  match->unsubscribes = FALSE;
  match->reply = NULL;
}

static void
set_entry (TcKeywordMatch *match,
           const Entry    *entry,
           gboolean        needs_review)
{
  set_message (match, needs_review);
  match->action = entry->action;
  match->keyword = entry->keyword;
  match->language = entry->language;
  match->all_purposes = entry->action == TC_INBOUND_ACTION_OPT_OUT
                        || entry->action == TC_INBOUND_ACTION_OPT_IN;
  match->purpose = entry->purpose;
  match->unsubscribes = entry->unsubscribes;
  match->reply = entry->reply;
}

static const WordInfo *
lookup_word (const Norm *norm,
             guint       first,
             guint       last)
{
  char key[MAX_KEY_BYTES + 1];

  if (!span_key (norm, first, last, key))
    return NULL;

  return g_hash_table_lookup (get_word_table (), key);
}

static const Entry *
lookup_entry (const TcKeywords *self,
              const Norm       *norm,
              guint             first,
              guint             last)
{
  char key[MAX_KEY_BYTES + 1];

  if (!span_key (norm, first, last, key))
    return NULL;

  return g_hash_table_lookup (self->entries, key);
}

/* Steps 1 and 2: the whole message is a keyword, alone, repeated ("STOP
 * STOP") or between courtesy words ("stop please"). */
static gboolean
match_whole (const TcKeywords *self,
             const Norm       *norm,
             const guint      *flags,
             TcKeywordMatch   *match)
{
  guint n = norm->tokens->len;
  guint first = 0, last = n;
  const Entry *entry;
  gboolean stripped;

  entry = lookup_entry (self, norm, 0, n);
  if (entry != NULL)
    {
      set_entry (match, entry, FALSE);
      return TRUE;
    }

  while (first < last && (flags[first] & W_POLITE) != 0)
    first++;
  while (last > first && (flags[last - 1] & W_POLITE) != 0)
    last--;
  if (first == last)
    return FALSE;
  stripped = first > 0 || last < n;

  entry = lookup_entry (self, norm, first, last);
  if (entry == NULL)
    {
      /* The same one-word keyword repeated. */
      const Token *a = norm_token (norm, first);

      for (guint i = first + 1; i < last; i++)
        {
          const Token *b = norm_token (norm, i);

          if (b->len != a->len
              || memcmp (norm->text->str + a->start, norm->text->str + b->start, a->len) != 0)
            return FALSE;
        }
      entry = lookup_entry (self, norm, first, first + 1);
      if (entry == NULL)
        return FALSE;
    }

  set_entry (match, entry, stripped);
  return TRUE;
}

typedef struct
{
  const Norm         *norm;
  const guint        *flags;
  const char * const *langs; /* language of each word, or NULL */
  guint               end;   /* end of the clause */
} Clause;

/* The next word from @i on that is not in @skip, at most MAX_LOOKAHEAD
 * words on; @c->end when the clause ends first; G_MAXUINT when it is too
 * far to tell. */
static guint
next_word (const Clause *c,
           guint         i,
           guint         skip,
           gboolean     *skipped_more)
{
  for (guint n = 0; i < c->end; i++, n++)
    {
      if (n >= MAX_LOOKAHEAD)
        return G_MAXUINT;
      if ((c->flags[i] & skip) == 0)
        return i;
      if (skipped_more != NULL && (c->flags[i] & W_MORE) != 0)
        *skipped_more = TRUE;
    }

  return c->end;
}

/* After a stop verb: "stop", "stop it", "stop texting me", "stop the
 * deals", "arrêtez de m'envoyer"; not "stop by", "stop smiling". */
static gboolean
stop_object_ok (const Clause *c,
                guint         i)
{
  guint j = next_word (c, i + 1, W_SKIP | W_SELF | W_POSS, NULL);

  if (j == c->end)
    return TRUE;
  if (j == G_MAXUINT)
    return FALSE;

  return (c->flags[j]
          & (W_POLITE | W_TAIL | W_SEND | W_NOUN | W_RECEIVE | W_STOPV | W_STRONG)) != 0;
}

/* After a negated send verb: "don't text me", "don't text me again",
 * "ne m'envoyez plus de messages"; not "don't send me the coupon". */
static gboolean
send_object_ok (const Clause *c,
                guint         i)
{
  guint j = next_word (c, i + 1, W_SKIP | W_SELF | W_POSS | W_MORE, NULL);

  if (j == c->end)
    return TRUE;
  if (j == G_MAXUINT)
    return FALSE;

  return (c->flags[j] & (W_AGAIN | W_NOUN | W_NUMNOUN)) != 0;
}

/* After a negated "want": "I don't want your texts", "je ne veux plus
 * recevoir de messages"; not "I don't want to miss the sale". */
static gboolean
want_object_ok (const Clause *c,
                guint         i)
{
  guint skip = W_SKIP | W_SELF | W_POSS | W_MORE | W_INTRO;
  guint j = next_word (c, i + 1, skip, NULL);

  if (j == c->end || j == G_MAXUINT)
    return FALSE;
  if ((c->flags[j] & W_NOUN) != 0)
    return TRUE;
  if ((c->flags[j] & (W_RECEIVE | W_SEND)) != 0)
    return send_object_ok (c, j);

  return FALSE;
}

/* The words between the last negation and @i only say who and how
 * ("don't ever text me", "ne m'envoyez"). */
static gboolean
negation_close (const Clause *c,
                guint         neg,
                guint         i)
{
  if (neg == G_MAXUINT || i - neg > 4)
    return FALSE;

  for (guint k = neg + 1; k < i; k++)
    if ((c->flags[k] & (W_SELF | W_SKIP | W_INTRO | W_TAIL | W_POSS | W_MORE | W_NEG)) == 0)
      return FALSE;

  return TRUE;
}

typedef enum
{
  READ_NOTHING,
  READ_MENTION,
  READ_OPT_OUT,
} Reading;

static Reading
read_clause (const Clause *c,
             guint         start,
             const char  **language)
{
  gboolean negated = FALSE, negated_weak = FALSE, intro_only = TRUE, mention = FALSE;
  gboolean has_send = FALSE, has_cease = FALSE;
  /* A stop word was negated: "non smettete mai di mandare offerte" asks
   * for more, whatever negation follows. */
  gboolean kept = FALSE;
  guint last_neg = G_MAXUINT;
  const char *cease_language = NULL;

  for (guint i = start; i < c->end; i++)
    {
      guint f = c->flags[i];
      gboolean next_negates = i + 1 < c->end && (c->flags[i + 1] & W_NEG_AFTER) != 0;
      const char *lang = c->langs[i];

      if ((f & (W_SEND | W_NOUN)) != 0)
        has_send = TRUE;
      if ((f & W_CEASE) != 0 && !has_cease)
        {
          has_cease = TRUE;
          cease_language = lang;
        }

      if ((f & W_STRONG) != 0)
        {
          if (!negated && !next_negates)
            {
              *language = lang;
              return READ_OPT_OUT;
            }
          mention = TRUE;
          kept = TRUE;
        }

      if ((f & W_STOPV) != 0)
        {
          if (!negated && !negated_weak && !next_negates && intro_only
              && stop_object_ok (c, i))
            {
              *language = lang;
              return READ_OPT_OUT;
            }
          if ((f & W_MENTION) != 0)
            mention = TRUE;
          if (negated || negated_weak || next_negates)
            kept = TRUE;
        }

      if (kept)
        {
          if ((f & W_INTRO) == 0)
            intro_only = FALSE;
          continue;
        }

      if ((f & W_SEND) != 0 && negated && negation_close (c, last_neg, i)
          && send_object_ok (c, i))
        {
          *language = lang;
          return READ_OPT_OUT;
        }

      if ((f & W_WANT) != 0 && negated && negation_close (c, last_neg, i) && want_object_ok (c, i))
        {
          *language = lang;
          return READ_OPT_OUT;
        }

      if ((f & W_NO) != 0)
        {
          gboolean more = FALSE;
          guint j = next_word (c, i + 1, W_MORE | W_SKIP | W_SELF, &more);

          if ((j == c->end && more) || (j < c->end && (c->flags[j] & W_NOUN) != 0))
            {
              *language = lang;
              return READ_OPT_OUT;
            }
        }

      if (!negated)
        {
          if ((f & W_SELF_VERB) != 0)
            {
              *language = lang;
              return READ_OPT_OUT;
            }
          if ((f & W_REMOVE) != 0 && intro_only
              && next_word (c, i + 1, W_POLITE | W_SELF, NULL) == c->end)
            {
              *language = lang;
              return READ_OPT_OUT;
            }
          if ((f & W_REMOVE) != 0 && i + 1 < c->end
              && ((c->flags[i + 1] & W_SELF) != 0
                  || ((c->flags[i + 1] & W_POSS) != 0 && i + 2 < c->end
                      && (c->flags[i + 2] & W_NUMNOUN) != 0)))
            {
              *language = lang;
              return READ_OPT_OUT;
            }
          if ((f & W_PV) != 0 && i + 2 < c->end && (c->flags[i + 1] & W_SELF) != 0
              && ((c->flags[i + 2] & W_PARTICLE) != 0
                  || (i + 3 < c->end && (c->flags[i + 3] & W_PARTICLE) != 0)))
            {
              *language = lang;
              return READ_OPT_OUT;
            }
        }

      if ((f & W_NEG) != 0)
        {
          negated = TRUE;
          last_neg = i;
        }
      if ((f & W_NEG_WEAK) != 0)
        negated_weak = TRUE;
      if ((f & W_INTRO) == 0)
        intro_only = FALSE;
    }

  if (has_cease && has_send && !kept)
    {
      *language = cease_language;
      return READ_OPT_OUT;
    }

  return mention ? READ_MENTION : READ_NOTHING;
}

/* The language most words of the message belong to; @decisive (the
 * language of the word that decided) on a tie. "Stop met het sturen van
 * berichten" is Dutch although "stop" is first an English word. */
static const char *
main_language (const char * const *langs,
               guint               n,
               const char         *decisive)
{
  const char *seen[16];
  guint counts[16];
  guint n_seen = 0, best = 0;
  const char *language = decisive;

  for (guint i = 0; i < n; i++)
    {
      guint k;

      if (langs[i] == NULL)
        continue;
      for (k = 0; k < n_seen && seen[k] != langs[i]; k++)
        ;
      if (k == n_seen)
        {
          if (n_seen == G_N_ELEMENTS (seen))
            continue;
          seen[n_seen] = langs[i];
          counts[n_seen++] = 0;
        }
      counts[k]++;
    }

  for (guint k = 0; k < n_seen; k++)
    if (counts[k] > best)
      best = counts[k];
  for (guint k = 0; k < n_seen; k++)
    if (counts[k] == best && seen[k] == decisive)
      return decisive;
  for (guint k = 0; k < n_seen; k++)
    if (counts[k] == best)
      return seen[k];

  return language;
}

/* Step 3. */
static void
match_sentences (const Norm         *norm,
                 const guint        *flags,
                 const char * const *langs,
                 TcKeywordMatch     *match)
{
  guint n = norm->tokens->len;
  gboolean mention = FALSE;
  guint start = 0;

  while (start < n)
    {
      Clause c = { norm, flags, langs, start + 1 };
      const char *language = NULL;
      Reading reading;

      /* A conjunction ends the clause before it and is not part of the
       * next one. */
      while (c.end < n && !norm_token (norm, c.end)->clause_start
             && (flags[c.end] & W_CONJ) == 0)
        c.end++;
      if ((flags[start] & W_CONJ) != 0)
        {
          start++;
          continue;
        }

      reading = read_clause (&c, start, &language);
      if (reading == READ_OPT_OUT)
        {
          set_message (match, TRUE);
          match->action = TC_INBOUND_ACTION_OPT_OUT;
          match->language = main_language (langs, n, language);
          match->all_purposes = TRUE;
          return;
        }
      if (reading == READ_MENTION)
        mention = TRUE;

      start = c.end;
    }

  set_message (match, mention);
}

/**
 * tc_keywords_classify:
 * @keywords: the keywords
 * @text: the message
 * @length: its length in bytes, or -1 if it is NUL-terminated
 * @match: (out caller-allocates): what it was understood as; its strings
 *   belong to @keywords or the library
 */
void
tc_keywords_classify (const TcKeywords *keywords,
                      const char       *text,
                      gssize            length,
                      TcKeywordMatch   *match)
{
  g_autofree guint *flags = NULL;
  g_autofree const char **langs = NULL;
  Norm norm;
  gsize len;
  guint n;

  g_return_if_fail (keywords != NULL);
  g_return_if_fail (match != NULL);

  set_message (match, FALSE);
  if (text == NULL)
    return;

  len = length < 0 ? strlen (text) : (gsize) length;
  if (!g_utf8_validate_len (text, len, NULL))
    {
      /* Nobody can tell what it says: a person should look. */
      match->needs_review = TRUE;
      return;
    }

  norm_init (&norm, len);
  normalise (text, len, &norm);
  n = norm.tokens->len;
  if (n == 0)
    {
      norm_clear (&norm);
      return;
    }

  /* The class of each word; a pair ("opt out", "de baja", "nicht mehr")
   * adds its classes to its second word. */
  flags = g_new0 (guint, n);
  langs = g_new0 (const char *, n);
  for (guint i = 0; i < n; i++)
    {
      const WordInfo *info = lookup_word (&norm, i, i + 1);

      if (info != NULL)
        {
          flags[i] = info->flags;
          langs[i] = info->language;
        }
    }
  for (guint i = 0; i + 1 < n; i++)
    {
      const WordInfo *pair;

      if (norm_token (&norm, i + 1)->clause_start)
        continue;
      pair = lookup_word (&norm, i, i + 2);
      if (pair != NULL)
        {
          flags[i + 1] |= pair->flags;
          if (langs[i + 1] == NULL || (pair->flags & (W_STRONG | W_CEASE)) != 0)
            langs[i + 1] = pair->language;
        }
    }

  if (!match_whole (keywords, &norm, flags, match))
    match_sentences (&norm, flags, langs, match);

  norm_clear (&norm);
}

/**
 * tc_keywords_builtin:
 * @action: %TC_INBOUND_ACTION_OPT_OUT, %TC_INBOUND_ACTION_OPT_IN or
 *   %TC_INBOUND_ACTION_HELP
 * @language: (nullable): a language ("fr") or locale ("fr_CA"); %NULL for
 *   English
 *
 * Returns: (transfer none) (array zero-terminated=1): the built-in words,
 *   empty for another action or a language without a list
 */
const char * const *
tc_keywords_builtin (TcInboundAction  action,
                     const char      *language)
{
  g_autofree char *lang = base_language (language != NULL ? language : "en");

  if (lang == NULL)
    return no_words;

  for (guint i = 0; i < G_N_ELEMENTS (builtin_lists); i++)
    {
      if (strcmp (builtin_lists[i].language, lang) != 0)
        continue;

      switch (action)
        {
        case TC_INBOUND_ACTION_OPT_OUT:
          return builtin_lists[i].optout;
        case TC_INBOUND_ACTION_OPT_IN:
          return builtin_lists[i].optin;
        case TC_INBOUND_ACTION_HELP:
          return builtin_lists[i].help;
        case TC_INBOUND_ACTION_KEYWORD:
        case TC_INBOUND_ACTION_MESSAGE:
        default:
          return no_words;
        }
    }

  return no_words;
}
