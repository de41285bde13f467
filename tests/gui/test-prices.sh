#!/bin/bash
# test-prices.sh: drives the real `textcast` under Xvfb with xdotool
# through Preferences → Prices (Ctrl+comma, Alt+I): finds the United
# States (Alt+F, Enter opens the first match), types a price of its own for
# an SMS segment and saves it with Enter, has a price that is not a number
# refused, adds Kenya (Alt+A) and gives it a WhatsApp marketing price, then
# empties the US field to go back to the default and removes every price
# of its own with Reset All (Alt+R); checks the setting prices.table in the
# database with sqlite3 after each step, and the cost textcast-cli then puts
# on an outbox row.
#
# SPDX-FileCopyrightText: 2026 The Textcast authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Environment (set by tests/gui/meson.build):
#   TEXTCAST              the textcast program
#   TEXTCAST_CLI          textcast-cli
#   GSETTINGS_SCHEMA_DIR  the build's compiled schemas
#   SCREENSHOT_DIR        where the screenshots go (prices-*.png)

GUI_TEST=prices
GUI_SHOT_PREFIX=prices-
GUI_REQUIRED="TEXTCAST TEXTCAST_CLI GSETTINGS_SCHEMA_DIR SCREENSHOT_DIR"
. "$(dirname "$0")/lib.sh" "$@"

command -v sqlite3 >/dev/null || { echo "SKIP: sqlite3 not found"; exit 77; }

# table: the stored price table ("" when unset).
table () {
  sqlite3 "file:$DB?mode=ro" "SELECT value FROM settings WHERE key = 'prices.table'" 2>/dev/null
}

# expect_table VALUE: waits until the stored table is exactly VALUE.
expect_table () {
  for _ in $(seq 50); do
    [ "$(table)" = "$1" ] && { echo "# prices.table = “$1”"; return 0; }
    sleep 0.1
  done
  fail "prices.table is “$(table)”, expected “$1”"
}

step "a workspace with the simulator"
"$TEXTCAST_CLI" --db "$DB" sample --count 5 >/dev/null || fail "sample failed"
"$TEXTCAST_CLI" --db "$DB" providers set simulator || fail "providers set simulator failed"

step "start textcast, Ctrl+comma, Alt+I: Preferences → Prices"
G_MESSAGES_DEBUG=tc-preferences-window,tc-toasts "$TEXTCAST" --db "$DB" >"$LOG" 2>&1 &
APP_PID=$!
MAIN=$(wait_window "Textcast" 30) || exit 1
sleep 1
focus "$MAIN"
xdotool key --clearmodifiers ctrl+comma
PREFS=$(wait_window "Preferences" 10) || exit 1
sleep 0.5
show_page i Prices
shot 01-page

step "Alt+F: find the United States; Enter opens it at its SMS price"
xdotool key --clearmodifiers alt+f
xdotool type --delay 20 "united st"
xdotool key --clearmodifiers Return
sleep 0.5
xdotool key --clearmodifiers ctrl+a
xdotool type --delay 20 "0.0123"
xdotool key --clearmodifiers Return
expect_table '[{"country":"US","channel":"sms","price":0.0123}]'
shot 02-custom

step "a price that is not a number is refused"
xdotool key --clearmodifiers ctrl+a
xdotool type --delay 20 "cheap"
xdotool key --clearmodifiers Return
sleep 1
[ "$(table)" = '[{"country":"US","channel":"sms","price":0.0123}]' ] ||
  fail "“cheap” changed the table: “$(table)”"
shot 03-refused
xdotool key --clearmodifiers ctrl+a
xdotool type --delay 20 "0.0123"
xdotool key --clearmodifiers Return

step "Alt+A: add Kenya and give it a WhatsApp marketing price (Tab to the second field)"
xdotool key --clearmodifiers alt+a
xdotool type --delay 20 "ke"
xdotool key --clearmodifiers Return
sleep 0.5
# The SMS field has focus; its apply and reset buttons are not shown while
# it is unchanged, so Tab goes to the marketing field.
xdotool key --clearmodifiers Tab
xdotool key --clearmodifiers ctrl+a
xdotool type --delay 20 "0,05"
xdotool key --clearmodifiers Return
expect_table '[{"country":"KE","channel":"whatsapp","category":"marketing","price":0.05},{"country":"US","channel":"sms","price":0.0123}]'
shot 04-kenya

step "the outbox prices a row with the new table"
COST=$("$TEXTCAST_CLI" --db "$DB" send --channel sms --purpose promotional --to +14155552671 \
         --body "Spring sale" --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["cost"])') ||
  fail "textcast-cli send failed"
[ "$COST" = "0.0123" ] || fail "the outbox row costs “$COST”, expected 0.0123"

step "Alt+F: the US again; an empty field goes back to the default"
xdotool key --clearmodifiers alt+f
xdotool key --clearmodifiers ctrl+a
xdotool type --delay 20 "US"
xdotool key --clearmodifiers Return
sleep 0.5
xdotool key --clearmodifiers ctrl+a BackSpace Return
expect_table '[{"country":"KE","channel":"whatsapp","category":"marketing","price":0.05}]'
xdotool key --clearmodifiers alt+f
xdotool key --clearmodifiers ctrl+a BackSpace
sleep 0.3
shot 05-default

step "Alt+A: the end of the page (the field that adds a country, every other country)"
xdotool key --clearmodifiers alt+a
shot 06-end

step "Alt+R: Reset All removes the setting (a toast offers to undo)"
xdotool key --clearmodifiers alt+r
expect_table ''
shot 07-reset

step "close Preferences: the table is still empty"
# While a toast is shown, an Escape does not always reach the window
# (libadwaita 1.2 under Xvfb, more so on a busy machine): the window is
# raised and asked again until it goes.
for _ in $(seq 10); do
  WID=$(find_window "Preferences")
  [ -n "$WID" ] || break
  xdotool windowactivate --sync "$WID" 2>/dev/null || true
  xdotool key --clearmodifiers Escape
  for _ in $(seq 10); do [ -z "$(find_window "Preferences")" ] && break; sleep 0.1; done
done
wait_gone "Preferences" 10
expect_table ''
COST=$("$TEXTCAST_CLI" --db "$DB" prices estimate --to +254712345678 --channel whatsapp \
         --segments 1 --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["cost"])') ||
  fail "textcast-cli prices estimate failed"
[ "$COST" = "0.0604" ] || fail "a WhatsApp message to Kenya costs “$COST”, expected 0.0604"

kill -0 "$APP_PID" 2>/dev/null || fail "textcast exited"
echo "# ok"
