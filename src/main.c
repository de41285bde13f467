/* main.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "textcast"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "tc-application.h"
#include "tc-resources.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TcApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  tc_register_resource ();

  app = tc_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
