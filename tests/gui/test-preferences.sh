#!/bin/bash
# test-preferences.sh: drives the real `textcast` under Xvfb with xdotool
# through Preferences (Ctrl+comma): types a brand name, pastes a whole link
# as the short-link domain, tries one that is not a host name, sets the
# French opt-out instruction, closes the window, and checks what was stored
# in the workspace (textcast-cli settings list --json); then checks that the
# SMS editor's counter (read from TEXTCAST_TEST_STATE_FILE) counts the brand
# and the short link.
#
# SPDX-FileCopyrightText: 2026 The Textcast authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Environment (set by tests/gui/meson.build):
#   TEXTCAST              the textcast program
#   TEXTCAST_CLI          textcast-cli
#   GSETTINGS_SCHEMA_DIR  the build's compiled schemas
#   SCREENSHOT_DIR        where the screenshots go (preferences-*.png)

GUI_TEST=preferences
GUI_SHOT_PREFIX=preferences-
GUI_REQUIRED="TEXTCAST TEXTCAST_CLI GSETTINGS_SCHEMA_DIR SCREENSHOT_DIR"
. "$(dirname "$0")/lib.sh" "$@"

STATE="$TMP/state"
export TEXTCAST_TEST_STATE_FILE="$STATE"
# The endpoint listens on a free port (TEXTCAST_HTTP_PORT=0, lib.sh); the
# send service says which.
export G_MESSAGES_DEBUG=tc-send-service

# expect_state LINE: waits until the counter line (the state file) is
# exactly LINE.
expect_state () {
  local line=$1
  for _ in $(seq 50); do
    if [ -f "$STATE" ] && [ "$(cat "$STATE")" = "$line" ]; then
      echo "# counter: $line"
      return 0
    fi
    sleep 0.1
  done
  fail "the counter is “$(cat "$STATE" 2>/dev/null)”, expected “$line”"
}

settings_json () {
  "$TEXTCAST_CLI" --db "$DB" settings list --json 2>"$TMP/cli.err" || \
    fail "textcast-cli settings list failed: $(cat "$TMP/cli.err")"
}

# setting KEY: the stored value of KEY, or nothing when unset.
setting () {
  settings_json | python3 -c 'import json, sys; print(json.load(sys.stdin).get(sys.argv[1], ""))' "$1"
}

# expect_setting KEY VALUE: waits until KEY is stored as exactly VALUE.
expect_setting () {
  for _ in $(seq 50); do
    [ "$(setting "$1")" = "$2" ] && { echo "# $1 = $2"; return 0; }
    sleep 0.1
  done
  fail "setting $1 is “$(setting "$1")”, expected “$2”"
}

step "start textcast with sample contacts"
"$TEXTCAST" --db "$DB" --sample >"$LOG" 2>&1 &
APP_PID=$!
MAIN=$(wait_window "Textcast" 30) || exit 1
for _ in $(seq 300); do
  [ "$(count_contacts)" = 300 ] && break
  sleep 0.1
done
[ "$(count_contacts)" = 300 ] || fail "expected 300 sample contacts, found “$(count_contacts)”"
sleep 1
focus "$MAIN"

step "Ctrl+2, Ctrl+N: a new SMS template in English"
xdotool key --clearmodifiers ctrl+2
xdotool key --clearmodifiers ctrl+n
sleep 1
# From the message text back to the Language row: past Insert Snippet and
# Insert Variable.
xdotool key --clearmodifiers shift+Tab shift+Tab shift+Tab
xdotool type --delay 20 "en"
xdotool key --clearmodifiers Tab Tab Tab
# The first sample contact is Maria Clara; an empty message is just the
# opt-out instruction (21 characters).
expect_state "For Maria Clara: GSM-7 · 1 segment · 139 characters left in this segment"

step "type a message with {{brand}} and a link"
xdotool type --delay 5 "{{brand}}: 20% off for you, {{first_name|there}}! https://shop.example/sale"
# No brand name yet: “Your Brand” (10) stands in. “Your Brand: 20% off for
# you, Maria Clara! ” is 42 characters; the link gets utm_source=sms,
# utm_medium=sms and utm_campaign=untitled-sms-template: 25 + 65 = 90; a new
# line and “Reply STOP to opt out” (21): 154 septets, one message of 160.
expect_state "For Maria Clara: GSM-7 · 1 segment · 6 characters left in this segment"
shot 01-editor-no-brand

step "Ctrl+comma: Preferences"
xdotool key --clearmodifiers ctrl+comma
PREFS=$(wait_window "Preferences" 10) || exit 1
sleep 0.5
focus "$PREFS"

step "type the brand name (the row has the focus)"
xdotool type --delay 20 "Acme Shoes Lisboa"
expect_setting brand.name "Acme Shoes Lisboa"

step "Alt+S: paste a whole link as the short-link domain"
xdotool key --clearmodifiers alt+s
xdotool type --delay 20 "https://go.shop.example/"
expect_setting links.short_domain "go.shop.example"
shot 02-preferences

step "the window serves tracked links on its HTTP endpoint"
wait_log "Sending; the HTTP endpoint listens on 127.0.0.1:" 20
HTTP_PORT=$(grep -o "the HTTP endpoint listens on 127.0.0.1:[0-9]*" "$LOG" | tail -n 1 | sed 's/.*://')
# An unknown code answers 404 from Textcast's endpoint; nothing listening
# would refuse the connection.
python3 - "$HTTP_PORT" <<'PY' || fail "the HTTP endpoint did not answer on 127.0.0.1:$HTTP_PORT"
import sys, time, urllib.error, urllib.request
for _ in range(50):
    try:
        urllib.request.urlopen("http://127.0.0.1:%s/l/AAAAAAAA" % sys.argv[1], timeout=2)
    except urllib.error.HTTPError as e:
        if e.code == 404:
            print("# endpoint up: 404 for an unknown code")
            raise SystemExit(0)
        raise SystemExit("unexpected status %d" % e.code)
    except OSError:
        time.sleep(0.1)
        continue
    raise SystemExit("an unknown code did not give 404")
raise SystemExit("nothing listens on 127.0.0.1:%s" % sys.argv[1])
PY

step "a domain that is not a host name is not saved"
xdotool key --clearmodifiers ctrl+a
xdotool type --delay 20 "localhost:8642"
# Well past the save delay.
sleep 1.5
[ "$(setting links.short_domain)" = "go.shop.example" ] || \
  fail "“localhost:8642” was saved: “$(setting links.short_domain)”"
shot 03-invalid-domain
xdotool key --clearmodifiers ctrl+a
xdotool type --delay 20 "go.shop.example"
xdotool key --clearmodifiers Return

step "Alt+L: the French opt-out instruction"
xdotool key --clearmodifiers alt+l
# The rows can take the focus once the list has opened.
sleep 0.8
# Past English, to French.
xdotool key --clearmodifiers Tab Tab
xdotool key --clearmodifiers ctrl+a
xdotool type --delay 20 "STOP au 36180"
shot 04-optout
expect_setting optout.text.fr "STOP au 36180"
[ -z "$(setting optout.text.en)" ] || fail "the English text was stored: “$(setting optout.text.en)”"

step "Escape closes Preferences"
xdotool key --clearmodifiers Escape
for _ in $(seq 50); do
  [ -z "$(find_window "Preferences")" ] && break
  sleep 0.1
done
[ -z "$(find_window "Preferences")" ] || fail "Preferences did not close on Escape"
focus "$MAIN"

step "what was stored, read with textcast-cli settings list --json"
# Exactly what was typed; the port and the every-message switch were not
# touched, so they stay unset (their defaults).
settings_json | python3 -c '
import json, sys
# (The sample journey keeps its runner position among the settings.)
settings = {k: v for k, v in json.load(sys.stdin).items() if not k.startswith("journeys.")}
expected = {
    "brand.name": "Acme Shoes Lisboa",
    "links.short_domain": "go.shop.example",
    "optout.text.fr": "STOP au 36180",
}
assert settings == expected, settings
' || fail "the stored settings are not what was typed: $(settings_json)"

step "the editor counts the brand and the short link"
# “Acme Shoes Lisboa” is 7 characters longer than “Your Brand”; the link is
# now https://go.shop.example/l/ and an 8-character code: 34 characters, so
# 49 + 34 + 1 + 21 = 105 septets.
expect_state "For Maria Clara: GSM-7 · 1 segment · 55 characters left in this segment"
shot 05-editor-brand

step "quit with Ctrl+Q"
xdotool key --clearmodifiers ctrl+q
for _ in $(seq 100); do
  kill -0 "$APP_PID" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$APP_PID" 2>/dev/null && fail "textcast did not quit on Ctrl+Q"
wait "$APP_PID"
STATUS=$?
APP_PID=
[ "$STATUS" = 0 ] || fail "textcast exited with status $STATUS"
if grep -E -- "-(CRITICAL|WARNING) \*\*" "$LOG" | grep -v "Unable to acquire session bus" >/dev/null; then
  fail "textcast printed warnings"
fi

echo "PASS: set the brand and the short-link domain in Preferences; the SMS counter follows; screenshots in $SCREENSHOT_DIR"
exit 0
